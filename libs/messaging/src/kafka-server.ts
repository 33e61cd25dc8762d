import { ServerKafka } from '@nestjs/microservices';

/**
 * Nest's Kafka server with each pattern's route resolved once. Nest resolves the route of every message by trying
 * `JSON.parse` on its topic name and catching the `SyntaxError`; benchmark K3 profiled that at 43 % of a Nest
 * consumer's CPU (test/bench/README.md). The patterns are the subscribed topic names, so the cache stays small.
 */
export class KafkaServer extends ServerKafka {
  private readonly routes = new Map<string, string>();

  protected override getRouteFromPattern(pattern: string): string {
    let route = this.routes.get(pattern);
    if (route === undefined) {
      route = super.getRouteFromPattern(pattern);
      this.routes.set(pattern, route);
    }
    return route;
  }
}
