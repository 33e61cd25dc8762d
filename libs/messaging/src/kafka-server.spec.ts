import { ServerKafka } from '@nestjs/microservices';
import { KafkaServer } from './kafka-server';

// Routes through a subclass that exposes the protected method, for both servers alike.
function routeOf(server: ServerKafka, pattern: string): string {
  return (server as unknown as { getRouteFromPattern(p: string): string }).getRouteFromPattern(pattern);
}

describe('KafkaServer', () => {
  const options = { client: { brokers: ['127.0.0.1:1'] } };

  it.each(['dossier-intake.dossier.events.v1', '{"cmd":"sum"}', '{"a":1,"b":"x"}', 'not json {'])(
    'resolves %s to the route Nest resolves it to',
    (pattern) => {
      expect(routeOf(new KafkaServer(options), pattern)).toBe(routeOf(new ServerKafka(options), pattern));
    },
  );

  it('parses a pattern once, however many messages carry it', () => {
    const server = new KafkaServer(options);
    const parse = jest.spyOn(JSON, 'parse');
    try {
      for (let i = 0; i < 100; i += 1) routeOf(server, 'registration-office.case.events.v1');
      expect(parse.mock.calls.filter(([text]) => text === 'registration-office.case.events.v1')).toHaveLength(1);
    } finally {
      parse.mockRestore();
    }
  });
});
