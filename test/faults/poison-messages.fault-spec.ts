import { randomUUID } from 'node:crypto';
import {
  consumerGroup,
  createKafka,
  deadLetterTopic,
  KafkaPublisher,
  maxEventBytes,
  ServiceNames,
  Topics,
  type DeadLetter,
} from '@lienthong/messaging';
import { KafkaTestConsumer, waitFor } from '@lienthong/testing';
import { brokers, casesPresent, faultScale, groupLag, serviceProcess, submittedEvent } from './fault-kit';

// Poison messages of 8 kinds (200 among 1,000 valid events at full scale): every poison message is dead-lettered
// with its reason, no valid one is, the consumer does not crash and catches up.

// At the scale (FAULT_DOSSIERS=1000): 1,000 valid and 25 poison messages of each kind.
const valid = faultScale;
const perKind = Math.max(1, Math.round(faultScale / 40));

/** Poison values by kind; each is keyed `poison-<kind>-<n>` so its dead letter can be recognised. */
function poison(kind: string, n: number): Buffer {
  const good = submittedEvent(`FAULT.POISON-${kind}-${n}`);
  switch (kind) {
    case 'invalid-json':
      return Buffer.from('{"id": "unterminated', 'utf8');
    case 'wrong-schema':
      return Buffer.from(JSON.stringify({ ...good, data: { dossierCode: good.subject, parties: 'none' } }));
    case 'unknown-type':
      return Buffer.from(
        JSON.stringify({ ...good, type: 'dossier.teleported', dataschema: 'urn:lienthong:dossier.teleported:v1' }),
      );
    case 'missing-envelope-fields': {
      const { id: _id, source: _source, ...rest } = good;
      return Buffer.from(JSON.stringify(rest));
    }
    case 'wrong-sequence-type':
      return Buffer.from(JSON.stringify({ ...good, sequence: 'first' }));
    case 'oversize':
      return Buffer.from(
        JSON.stringify({ ...good, data: { ...(good.data as object), summary: 'x'.repeat(maxEventBytes) } }),
      );
    case 'non-utf8':
      return Buffer.concat([Buffer.from('{"id":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]);
    case 'unknown-schema-version':
      return Buffer.from(JSON.stringify({ ...good, dataschema: 'urn:lienthong:dossier.submitted:v7' }));
    default:
      throw new Error(kind);
  }
}
const kinds = [
  'invalid-json',
  'wrong-schema',
  'unknown-type',
  'missing-envelope-fields',
  'wrong-sequence-type',
  'oversize',
  'non-utf8',
  'unknown-schema-version',
];

describe('poison messages among valid ones', () => {
  const office = serviceProcess('registration-office', 3232);
  const deadLetters = new KafkaTestConsumer(brokers, [deadLetterTopic(ServiceNames.RegistrationOffice)]);
  const producer = createKafka({ clientId: 'fault-suite', brokers }).producer({ allowAutoTopicCreation: false });
  const publisher = new KafkaPublisher(createKafka({ clientId: 'fault-suite', brokers }));

  beforeAll(async () => {
    await Promise.all([deadLetters.start(), producer.connect(), publisher.connect()]);
    await office.start();
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled([office.stop(), deadLetters.stop(), producer.disconnect(), publisher.disconnect()]);
  });

  it('dead-letters every poison message with its reason and processes every valid one', async () => {
    const run = randomUUID().slice(0, 8);
    const messages = [
      ...Array.from({ length: valid }, (_, i) => {
        const event = submittedEvent(`FAULT.VALID-${run}-${i}`);
        return { key: event.subject, value: Buffer.from(JSON.stringify(event)) };
      }),
      ...kinds.flatMap((kind) =>
        Array.from({ length: perKind }, (_, n) => ({ key: `poison-${run}-${kind}-${n}`, value: poison(kind, n) })),
      ),
    ].sort(() => Math.random() - 0.5);
    // At most 100 messages and 512 KiB per send: a few oversize ones (256 KiB each) in one batch would exceed the
    // broker's request limit, and the point is that each reaches the consumer.
    let batch: typeof messages = [];
    let bytes = 0;
    for (const message of [...messages, undefined]) {
      if (batch.length > 0 && (!message || batch.length === 100 || bytes + message.value.length > 512 * 1024)) {
        await producer.send({ topic: Topics.DossierEvents, acks: -1, messages: batch });
        batch = [];
        bytes = 0;
      }
      if (message) {
        batch.push(message);
        bytes += message.value.length;
      }
    }

    const ours = (m: { value: unknown }) => ((m.value as DeadLetter).key ?? '').includes(run);
    const letters = await waitFor(
      () => {
        const mine = deadLetters.messages.filter(ours);
        return mine.length >= kinds.length * perKind ? mine.map((m) => m.value as DeadLetter) : undefined;
      },
      { timeoutMs: 180_000, intervalMs: 1_000, description: `${kinds.length * perKind} dead letters` },
    );
    const validCodes = Array.from({ length: valid }, (_, i) => `FAULT.VALID-${run}-${i}`);
    await waitFor(
      async () =>
        (await groupLag(consumerGroup(ServiceNames.RegistrationOffice, Topics.DossierEvents), Topics.DossierEvents)) ===
        0,
      {
        timeoutMs: 180_000,
        intervalMs: 1_000,
        description: 'registration-office lag back to 0',
      },
    );
    const present = await casesPresent(office.baseUrl, validCodes);

    const byKind = new Map<string, string[]>();
    for (const letter of letters) {
      const kind = kinds.find((k) => letter.key!.includes(`-${k}-`))!;
      byKind.set(kind, [...(byKind.get(kind) ?? []), `${letter.error.class}: ${letter.error.message.slice(0, 60)}`]);
    }
    for (const [kind, reasons] of byKind) console.log(`${kind}: ${reasons.length} dead-lettered, e.g. ${reasons[0]}`);
    console.log(`${letters.length} dead letters, ${present.size}/${valid} valid dossiers became cases`);

    expect(letters).toHaveLength(kinds.length * perKind);
    expect([...byKind.values()].map((r) => r.length)).toEqual(kinds.map(() => perKind));
    expect(letters.every((l) => l.error.message.length > 0)).toBe(true);
    expect(letters.some((l) => l.key!.startsWith('FAULT.VALID'))).toBe(false);
    expect(present.size).toBe(valid);
    const ready = await fetch(`${office.baseUrl}/health/ready`);
    expect(ready.status).toBe(200);
  });
});
