import type { IHeaders, Message } from 'kafkajs';
import type { DeadLetter } from './reliable-consumer';

/**
 * Where a record sits on a dead-letter topic. DLQ topics have one partition (contracts/kafka/topics.json), so the
 * offset alone names a letter; `p:offset` names one on another partition.
 */
export interface LetterRef {
  partition: number;
  offset: string;
}

/** `12` for partition 0, `1:12` otherwise. */
export function formatLetterRef(ref: LetterRef): string {
  return ref.partition === 0 ? ref.offset : `${ref.partition}:${ref.offset}`;
}

/** Parses `12` or `1:12`; throws on anything else. */
export function parseLetterRef(text: string): LetterRef {
  const match = /^(?:(\d+):)?(\d+)$/.exec(text.trim());
  if (!match) throw new Error(`"${text}" is not a dead-letter offset (expected <offset> or <partition>:<offset>)`);
  return { partition: match[1] === undefined ? 0 : Number(match[1]), offset: String(BigInt(match[2]!)) };
}

const sameRef = (a: LetterRef, b: LetterRef): boolean => a.partition === b.partition && a.offset === b.offset;

/** Header that tells replay markers from dead letters on a DLQ topic. */
export const ReplayMarkerHeader = { Name: 'dlq_record', Value: 'replay' } as const;

/**
 * The record that a dead letter was replayed, written to the same DLQ topic right after the republish. It makes
 * replay safe to repeat: a letter with a marker is skipped unless forced. A marker lives as long as the letters
 * (same topic, same retention).
 */
export interface ReplayMarker {
  /** The letter replayed. */
  replayOf: LetterRef;
  /** Where the original message was sent again. */
  republishedTo: { topic: string; partition: number; offset: string };
  /** ISO 8601. */
  replayedAt: string;
  /** `<user>@<host>` of the operator's tool. */
  replayedBy: string;
  /** True when the letter had been replayed before and `--force` was given. */
  forced: boolean;
}

/** A record read from a DLQ topic: a dead letter, a replay marker, or something neither (shown, never replayed). */
export type DeadLetterRecord =
  | { kind: 'letter'; ref: LetterRef; letter: DeadLetter }
  | { kind: 'replay'; ref: LetterRef; marker: ReplayMarker }
  | { kind: 'unreadable'; ref: LetterRef; text: string | null };

function headerText(headers: IHeaders | Record<string, string> | undefined, name: string): string | undefined {
  const value = headers?.[name];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.map(String).join(',') : String(value);
}

function isDeadLetter(value: unknown): value is DeadLetter {
  const v = value as Partial<DeadLetter> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.originalTopic === 'string' &&
    typeof v.partition === 'number' &&
    typeof v.offset === 'string' &&
    typeof v.error === 'object'
  );
}

function isReplayMarker(value: unknown): value is ReplayMarker {
  const v = value as Partial<ReplayMarker> | null;
  return typeof v === 'object' && v !== null && typeof v.replayOf?.offset === 'string';
}

/** Tells what a DLQ record is, from its value and headers. */
export function classifyRecord(
  ref: LetterRef,
  value: string | null,
  headers?: IHeaders | Record<string, string>,
): DeadLetterRecord {
  let parsed: unknown;
  try {
    parsed = value === null ? null : JSON.parse(value);
  } catch {
    return { kind: 'unreadable', ref, text: value };
  }
  if (headerText(headers, ReplayMarkerHeader.Name) === ReplayMarkerHeader.Value && isReplayMarker(parsed)) {
    return { kind: 'replay', ref, marker: parsed };
  }
  if (isDeadLetter(parsed))
    return { kind: 'letter', ref, letter: { ...parsed, valueEncoding: parsed.valueEncoding ?? 'utf8' } };
  return { kind: 'unreadable', ref, text: value };
}

/** One dead letter with its replay history. */
export interface DeadLetterEntry {
  /** The service whose DLQ holds it. */
  service: string;
  ref: LetterRef;
  /** null for a record that is not a dead letter (it is listed, never replayed). */
  letter: DeadLetter | null;
  /** Replays recorded for it, oldest first. */
  replays: ReplayMarker[];
}

/** Joins a DLQ topic's letters with their replay markers, in offset order; markers themselves are not listed. */
export function collateDeadLetters(service: string, records: readonly DeadLetterRecord[]): DeadLetterEntry[] {
  const markers = records.flatMap((r) => (r.kind === 'replay' ? [r.marker] : []));
  return records
    .filter((r) => r.kind !== 'replay')
    .map((r) => ({
      service,
      ref: r.ref,
      letter: r.kind === 'letter' ? r.letter : null,
      replays: markers.filter((m) => sameRef(m.replayOf, r.ref)),
    }));
}

/** Which letters a replay sends again, and which it leaves alone and why. */
export interface ReplayPlan {
  replay: DeadLetterEntry[];
  skipped: { entry: DeadLetterEntry; reason: 'already-replayed' | 'not-a-dead-letter' }[];
}

/** Letters already replayed are skipped unless `force`; records that are not dead letters always are. */
export function planReplay(entries: readonly DeadLetterEntry[], options: { force: boolean }): ReplayPlan {
  const plan: ReplayPlan = { replay: [], skipped: [] };
  for (const entry of entries) {
    if (!entry.letter) plan.skipped.push({ entry, reason: 'not-a-dead-letter' });
    else if (entry.replays.length > 0 && !options.force) plan.skipped.push({ entry, reason: 'already-replayed' });
    else plan.replay.push(entry);
  }
  return plan;
}

/** Header on a replayed message naming the dead letter it came from, e.g. `registration-office.dlq.v1@12`. */
export const ReplayOfHeader = 'dlq_replay_of';

/**
 * The message that sends a dead letter's original back to its topic: same key, same value bytes (base64 letters
 * are decoded), the original headers plus `dlq_replay_of`. The key keeps it on the dossier's partition.
 */
export function replayMessage(letter: DeadLetter, dlqTopic: string, ref: LetterRef): Message {
  const value =
    letter.value === null ? null : Buffer.from(letter.value, letter.valueEncoding === 'base64' ? 'base64' : 'utf8');
  return {
    key: letter.key,
    value,
    headers: { ...letter.headers, [ReplayOfHeader]: `${dlqTopic}@${formatLetterRef(ref)}` },
  };
}

/** The replay marker as a DLQ message. */
export function replayMarkerMessage(marker: ReplayMarker): Message {
  return {
    key: `replay:${formatLetterRef(marker.replayOf)}`,
    value: JSON.stringify(marker),
    headers: { [ReplayMarkerHeader.Name]: ReplayMarkerHeader.Value },
  };
}
