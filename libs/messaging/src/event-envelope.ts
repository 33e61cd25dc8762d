import { newId } from '@lienthong/kernel';

/**
 * A CloudEvents 1.0 event (structured JSON) with the attributes this system adds (architecture §4). `subject` is the
 * dossier code and the Kafka key; `sequence` is the producing aggregate's version, strictly increasing per subject,
 * which consumers use to apply each event once and in order.
 */
export interface EventEnvelope<TData = unknown> {
  /** Unique event id (UUIDv7). */
  id: string;
  /** `<aggregate>.<past-tense-verb>`, e.g. `dossier.submitted`. */
  type: string;
  /** Producing service, as a URI reference, e.g. `/dossier-intake`. */
  source: string;
  /** The dossier code. */
  subject: string;
  /** When the fact happened, RFC 3339 with offset. */
  time: string;
  specversion: '1.0';
  datacontenttype: 'application/json';
  /** URI of the JSON Schema of `data`, e.g. `urn:lienthong:dossier.submitted:v1`. */
  dataschema: string;
  /** Aggregate version that produced the event; a positive integer, increasing per subject. */
  sequence: number;
  /** Id shared by every event and request of one business flow (the first request's id). */
  correlationId: string;
  /** Id of the event or request that directly caused this one. */
  causationId: string;
  data: TData;
}

/** What a producer supplies; the rest of the envelope is derived. */
export interface NewEvent<TData> {
  type: string;
  source: string;
  subject: string;
  sequence: number;
  data: TData;
  correlationId?: string;
  causationId?: string;
  time?: Date;
}

/** Builds a complete envelope; correlation and causation default to the event's own id (the start of a flow). */
export function createEvent<TData>(event: NewEvent<TData>): EventEnvelope<TData> {
  const id = newId();
  return {
    id,
    type: event.type,
    source: event.source,
    subject: event.subject,
    time: (event.time ?? new Date()).toISOString(),
    specversion: '1.0',
    datacontenttype: 'application/json',
    dataschema: `urn:lienthong:${event.type}:v1`,
    sequence: event.sequence,
    correlationId: event.correlationId ?? id,
    causationId: event.causationId ?? id,
    data: event.data,
  };
}

/** The message cannot be understood as an event; it goes to the dead-letter topic, never retried. */
export class InvalidEnvelopeError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid event envelope: ${problems.join('; ')}`);
    this.name = 'InvalidEnvelopeError';
  }
}

const requiredStrings = [
  'id',
  'type',
  'source',
  'subject',
  'time',
  'dataschema',
  'correlationId',
  'causationId',
] as const;

/** Checks the envelope attributes of a received message and returns it typed; throws InvalidEnvelopeError. */
export function parseEnvelope(value: unknown): EventEnvelope {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidEnvelopeError(['not a JSON object']);
  }
  const record = value as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of requiredStrings) {
    if (typeof record[key] !== 'string' || record[key] === '') problems.push(`${key} must be a non-empty string`);
  }
  if (record.specversion !== '1.0') problems.push('specversion must be "1.0"');
  if (!Number.isSafeInteger(record.sequence) || (record.sequence as number) < 1) {
    problems.push('sequence must be a positive integer');
  }
  if (typeof record.time === 'string' && Number.isNaN(Date.parse(record.time))) problems.push('time must be RFC 3339');
  if (typeof record.data !== 'object' || record.data === null) problems.push('data must be an object');
  if (problems.length > 0) throw new InvalidEnvelopeError(problems);
  return value as EventEnvelope;
}

/** Kafka headers carrying `ce_*` copies of the routing attributes (CloudEvents Kafka binding, structured mode). */
export function envelopeHeaders(event: EventEnvelope): Record<string, string> {
  return {
    ce_id: event.id,
    ce_type: event.type,
    ce_source: event.source,
    ce_subject: event.subject,
    ce_time: event.time,
    ce_specversion: event.specversion,
    ce_sequence: String(event.sequence),
    'content-type': 'application/cloudevents+json; charset=utf-8',
  };
}
