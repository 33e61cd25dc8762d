import { eventTypesByTopic } from '@lienthong/event-contracts';
import { parseEnvelope, type EventEnvelope, type InvalidEnvelopeError } from './event-envelope';

/** Largest event value accepted, in bytes. Events carry references, not files; anything bigger is a producer bug. */
export const maxEventBytes = 256 * 1024;

/** Supported major versions of each event's payload schema (`dataschema` = `urn:lienthong:<type>:v<major>`). */
const supportedMajors = new Set(['v1']);

/** The message is not an event this consumer can ever process; it is dead-lettered at once, never retried. */
export class PoisonMessageError extends Error {
  constructor(
    /** Stable reason code: OVERSIZE, NOT_UTF8, NOT_JSON, INVALID_ENVELOPE, UNKNOWN_TYPE, UNSUPPORTED_SCHEMA_VERSION. */
    readonly reason: string,
    message: string,
  ) {
    super(`${reason}: ${message}`);
    this.name = 'PoisonMessageError';
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes a Kafka message value into an event envelope, checking in order: size, UTF-8, JSON, the envelope
 * attributes, the event type (known on this topic) and the schema version. Throws PoisonMessageError naming the
 * first rule broken.
 */
export function decodeEvent(topic: string, value: Buffer | string | null | undefined): EventEnvelope {
  if (value === null || value === undefined) throw new PoisonMessageError('NOT_JSON', 'the message has no value');
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  if (bytes.length > maxEventBytes) {
    throw new PoisonMessageError('OVERSIZE', `${bytes.length} bytes exceed the ${maxEventBytes}-byte limit`);
  }
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    throw new PoisonMessageError('NOT_UTF8', 'the value is not valid UTF-8');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PoisonMessageError('NOT_JSON', error instanceof Error ? error.message : 'unparseable');
  }
  let event: EventEnvelope;
  try {
    event = parseEnvelope(json);
  } catch (error) {
    throw new PoisonMessageError('INVALID_ENVELOPE', (error as InvalidEnvelopeError).problems.join('; '));
  }
  const known = eventTypesByTopic[topic];
  if (known && !(known as readonly string[]).includes(event.type)) {
    throw new PoisonMessageError('UNKNOWN_TYPE', `${event.type} is not an event type of ${topic}`);
  }
  const version = /^urn:lienthong:([a-z-]+\.[a-z-]+):(v\d+)$/.exec(event.dataschema);
  if (!version || version[1] !== event.type || !supportedMajors.has(version[2]!)) {
    throw new PoisonMessageError('UNSUPPORTED_SCHEMA_VERSION', `dataschema ${event.dataschema} is not supported`);
  }
  return event;
}
