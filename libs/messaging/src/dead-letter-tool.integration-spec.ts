import { newId } from '@lienthong/kernel';
import { KafkaTestConsumer, type RecordedMessage } from '@lienthong/testing';
import type { Admin } from 'kafkajs';
import { formatShow, runDlq } from './cli/dlq';
import { DeadLetterTool } from './dead-letter-tool';
import { createKafka, KafkaPublisher } from './kafka-publisher';
import type { DeadLetter } from './reliable-consumer';

// list / show / replay against the real broker, on a topic pair of the test's own (never the services' topics).
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const run = newId();
const eventsTopic = `it.${run}.events`;
const dlqTopic = `it.${run}.dlq`;
const service = 'it-service';

const event = {
  specversion: '1.0',
  id: newId(),
  type: 'dossier.submitted',
  source: '/it',
  subject: `IT.${run}`,
  sequence: 1,
  data: { applicant: { fullName: 'Nguyễn Văn An', personalIdNumber: '056080001234', phone: '0905123456' } },
};
const binary = Buffer.from([0xc3, 0x28, 0x00, 0xff]);
const letters: DeadLetter[] = [
  {
    service,
    originalTopic: eventsTopic,
    partition: 1,
    offset: '41',
    key: `IT.${run}`,
    value: JSON.stringify(event),
    valueEncoding: 'utf8',
    headers: { ce_type: 'dossier.submitted', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
    error: { class: 'Error', message: 'database unavailable' },
    attempts: 6,
    deadLetteredAt: new Date().toISOString(),
  },
  {
    service,
    originalTopic: eventsTopic,
    partition: 0,
    offset: '42',
    key: 'poison-1',
    value: '{"personalIdNumber":"079095007890"',
    valueEncoding: 'utf8',
    headers: {},
    error: { class: 'PoisonMessageError', message: 'NOT_JSON: Unexpected end of JSON input' },
    attempts: 1,
    deadLetteredAt: new Date().toISOString(),
  },
  {
    service,
    originalTopic: eventsTopic,
    partition: 0,
    offset: '43',
    key: 'poison-2',
    value: binary.toString('base64'),
    valueEncoding: 'base64',
    headers: {},
    error: { class: 'PoisonMessageError', message: 'NOT_UTF8: the value is not valid UTF-8' },
    attempts: 1,
    deadLetteredAt: new Date().toISOString(),
  },
];

describe('dead-letter tool (real Kafka)', () => {
  let admin: Admin;
  let publisher: KafkaPublisher;
  let consumer: KafkaTestConsumer;
  let tool: DeadLetterTool;

  /** Runs `action`, then returns the messages it caused on the events topic (control messages close each partition). */
  async function deliveredBy(action: () => Promise<unknown>): Promise<RecordedMessage[]> {
    const from = consumer.messages.length;
    await action();
    const controls = [0, 1].map((partition) => ({ key: `control-${newId()}`, value: '{}', partition }));
    await publisher.send(eventsTopic, controls);
    for (const { key } of controls) await consumer.waitForMessage((m) => m.key === key);
    return consumer.messages.slice(from).filter((m) => !m.key?.startsWith('control-'));
  }

  beforeAll(async () => {
    admin = createKafka({ clientId: 'dlq-it', brokers }).admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        { topic: eventsTopic, numPartitions: 2 },
        { topic: dlqTopic, numPartitions: 1 },
      ],
      waitForLeaders: true,
    });
    publisher = new KafkaPublisher(createKafka({ clientId: 'dlq-it', brokers }));
    await publisher.connect();
    // What ReliableConsumer writes, plus a record that is no dead letter at all.
    await publisher.send(dlqTopic, [
      ...letters.map((l) => ({ key: l.key, value: JSON.stringify(l), headers: { dlq_error_class: l.error.class } })),
      { key: null, value: 'something else' },
    ]);
    consumer = new KafkaTestConsumer(brokers, [eventsTopic]);
    await consumer.start();
    tool = new DeadLetterTool({
      kafka: createKafka({ clientId: 'dlq-it', brokers }),
      topicOf: () => dlqTopic,
      readTimeoutMs: 20_000,
      actor: 'it@test',
    });
  });

  afterAll(async () => {
    await tool?.close();
    await consumer?.stop();
    await publisher?.disconnect();
    await admin?.deleteTopics({ topics: [eventsTopic, dlqTopic] }).catch(() => undefined);
    await admin?.disconnect();
  });

  it('lists every record of the DLQ topic by offset, none replayed yet', async () => {
    const entries = await tool.list(service);
    expect(entries.map((e) => [e.ref.offset, e.letter?.key ?? null, e.replays.length])).toEqual([
      ['0', `IT.${run}`, 0],
      ['1', 'poison-1', 0],
      ['2', 'poison-2', 0],
      ['3', null, 0],
    ]);
    expect(entries[0]!.letter).toEqual(letters[0]);
  });

  it('shows a letter with its personal data masked', async () => {
    const entry = await tool.show(service, { partition: 0, offset: '0' });
    const shown = formatShow(entry!);
    expect(shown).not.toMatch(/056080001234|0905123456|Nguyễn Văn An/);
    expect(JSON.parse(shown)).toMatchObject({
      dlqOffset: '0',
      originalTopic: eventsTopic,
      value: { data: { applicant: { personalIdNumber: '0560******34', phone: '0905****56', fullName: 'N. V. A.' } } },
    });
    expect(formatShow((await tool.show(service, { partition: 0, offset: '1' }))!)).toContain('0790******90');
    expect(await tool.show(service, { partition: 0, offset: '99' })).toBeUndefined();
  });

  it('replays a letter to its original topic and partition once; again only with force', async () => {
    // Where the services' publisher puts this key: a replay must land on the same partition to keep the order.
    const [reference] = await deliveredBy(() =>
      publisher.send(eventsTopic, [{ key: `IT.${run}`, value: 'reference' }]),
    );

    const [replayed, ...more] = await deliveredBy(async () => {
      const [outcome] = await tool.replay(service, [{ partition: 0, offset: '0' }]);
      expect(outcome).toMatchObject({ status: 'replayed', marker: { forced: false, replayedBy: 'it@test' } });
    });
    expect(more).toEqual([]);
    expect(replayed).toMatchObject({ key: `IT.${run}`, value: event, partition: reference!.partition });
    expect(replayed!.headers).toEqual({ ...letters[0]!.headers, dlq_replay_of: `${dlqTopic}@0` });

    const [entry] = await tool.list(service);
    expect(entry!.replays).toEqual([
      expect.objectContaining({
        replayOf: { partition: 0, offset: '0' },
        republishedTo: { topic: eventsTopic, partition: replayed!.partition, offset: replayed!.offset },
      }),
    ]);

    const repeated = await deliveredBy(async () => {
      const [outcome] = await tool.replay(service, [{ partition: 0, offset: '0' }]);
      expect(outcome!.status).toBe('already-replayed');
    });
    expect(repeated).toEqual([]);

    const forced = await deliveredBy(async () => {
      const [outcome] = await tool.replay(service, [{ partition: 0, offset: '0' }], { force: true });
      expect(outcome).toMatchObject({ status: 'replayed', marker: { forced: true } });
    });
    expect(forced.map((m) => m.key)).toEqual([`IT.${run}`]);
    expect((await tool.list(service))[0]!.replays).toHaveLength(2);
  });

  it('replays --all: every letter not replayed yet, byte for byte, then nothing', async () => {
    const sent = await deliveredBy(async () => {
      const outcomes = await tool.replay(service, 'all');
      expect(outcomes.map((o) => [o.entry.ref.offset, o.status])).toEqual([
        ['0', 'already-replayed'],
        ['3', 'not-a-dead-letter'],
        ['1', 'replayed'],
        ['2', 'replayed'],
      ]);
    });
    expect(sent.map((m) => m.key).sort()).toEqual(['poison-1', 'poison-2']);
    expect(sent.find((m) => m.key === 'poison-1')!.value).toBe(letters[1]!.value);
    // The test consumer decodes values as UTF-8, lossily for these bytes; exactness is unit-tested (replayMessage).
    expect(sent.find((m) => m.key === 'poison-2')!.value).toBe(binary.toString('utf8'));

    expect(await deliveredBy(() => tool.replay(service, 'all'))).toEqual([]);
  });

  it('prints the list through the command line front end', async () => {
    const lines: string[] = [];
    const command = { brokers, timeoutMs: 20_000, name: 'list' as const, services: [service], limit: 10 };
    expect(await runDlq(command, tool, (line) => lines.push(line))).toBe(0);
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(
      new RegExp(`^${service}  0  ${eventsTopic}/1@41  Error  attempts=6  \\S+  replayed \\S+ \\(2x\\)$`),
    );
    expect(lines[1]).toContain('PoisonMessageError(NOT_JSON)  attempts=1');
    expect(lines[3]).toBe(`${service}  3  (not a dead letter)`);
    expect(lines[4]).toBe('4 dead letter(s) in 1 service(s)');
  });

  it('fails a replay that names no record, before sending anything', async () => {
    await expect(
      tool.replay(service, [
        { partition: 0, offset: '0' },
        { partition: 0, offset: '99' },
      ]),
    ).rejects.toThrow(`${dlqTopic} has no record at 99`);
  });
});
