import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  DiagnosticSeverity,
  fromFile,
  Parser,
  type AsyncAPIDocumentInterface,
  type OperationInterface,
  type ParseOutput,
} from '@asyncapi/parser';
import { eventTypesByTopic } from './event-types';
import { deadLetterV1Schema, payloadSchemas } from './generated';

const contracts = path.resolve(__dirname, '../..');
const topics = (
  JSON.parse(readFileSync(path.join(contracts, 'kafka/topics.json'), 'utf8')) as {
    topics: { name: string; partitions: number; retentionMs: number; owner: string }[];
  }
).topics;

/** Consumers of each event topic (architecture §4); a new consumer adds a receive operation and a line here. */
const consumers: Record<string, string[]> = {
  'dossier-intake.dossier.events.v1': ['registration-office', 'population-matching', 'notification'],
  'dossier-intake.client.events.v1': ['notification'],
  'registration-office.case.events.v1': ['dossier-intake', 'notification'],
  'population-matching.match.events.v1': ['registration-office', 'dossier-intake'],
  'notification.delivery.events.v1': ['dossier-intake'],
};

describe('contracts/asyncapi.yaml', () => {
  let parsed: ParseOutput;
  let document: AsyncAPIDocumentInterface;
  const channel = (address: string) =>
    document
      .channels()
      .all()
      .find((c) => c.address() === address)!;

  beforeAll(async () => {
    parsed = await fromFile(new Parser(), path.join(contracts, 'asyncapi.yaml')).parse();
    document = parsed.document!;
  }, 30_000);

  it('parses without errors or warnings, the referenced JSON Schemas included', () => {
    // Information (such as the hint that AsyncAPI 3.1 exists) is fine.
    const serious = [DiagnosticSeverity.Error, DiagnosticSeverity.Warning];
    const problems = parsed.diagnostics.filter((d) => serious.includes(d.severity));
    expect(problems.map((d) => `${d.code}: ${d.message} at ${d.path.join('.')}`)).toEqual([]);
    expect(parsed.document).toBeDefined();
  });

  it('has a channel for every topic of kafka/topics.json, with its partitions and retention', () => {
    expect(
      document
        .channels()
        .all()
        .map((c) => c.address())
        .sort(),
    ).toEqual(topics.map((t) => t.name).sort());
    for (const topic of topics) {
      const kafka = channel(topic.name)
        .bindings()
        .get('kafka')!
        .value<{ partitions: number; topicConfiguration: Record<string, number> }>();
      expect([topic.name, kafka.partitions, kafka.topicConfiguration['retention.ms']]).toEqual([
        topic.name,
        topic.partitions,
        topic.retentionMs,
      ]);
    }
  });

  it('carries exactly the event types of each topic with their payload schemas, and dead letters on the DLQs', () => {
    for (const [topic, types] of Object.entries(eventTypesByTopic)) {
      const messages = channel(topic).messages().all();
      expect(messages.map((m) => m.name()).sort()).toEqual([...types].sort());
      for (const message of messages) {
        const [, event] = message.payload()!.allOf()!;
        expect(event!.properties()!.type!.const()).toBe(message.name());
        expect(event!.properties()!.data!.id()).toBe(payloadSchemas[message.name() as keyof typeof payloadSchemas].$id);
      }
    }
    for (const topic of topics.filter((t) => t.name.endsWith('.dlq.v1'))) {
      const messages = channel(topic.name).messages().all();
      expect(messages.map((m) => m.payload()!.id())).toEqual([deadLetterV1Schema.$id]);
    }
  });

  it('has each topic sent by its owner and received by its consumers; dead letters sent by the consumer', () => {
    // Operation titles start with the service, e.g. `registration-office consumes dossier-intake.dossier.events.v1`.
    const operations = document.operations().all();
    const serviceOf = (op: OperationInterface) => op.json<{ title: string }>().title.split(' ')[0]!;
    const who = operations.map((op) => `${op.action()} ${serviceOf(op)} ${op.channels().all()[0]!.address()!}`);
    const expected = topics.flatMap((t) => [
      `send ${t.owner} ${t.name}`,
      ...(consumers[t.name] ?? []).map((consumer) => `receive ${consumer} ${t.name}`),
    ]);
    expect(who.sort()).toEqual(expected.sort());
    for (const op of operations.filter((o) => o.action() === 'receive')) {
      const group = op.bindings().get('kafka')!.value<{ groupId: { const: string } }>().groupId.const;
      expect(group.startsWith(`${serviceOf(op)}.`)).toBe(true);
    }
  });
});
