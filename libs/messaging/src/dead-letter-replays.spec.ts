import {
  classifyRecord,
  collateDeadLetters,
  formatLetterRef,
  parseLetterRef,
  planReplay,
  replayMarkerMessage,
  replayMessage,
  ReplayMarkerHeader,
  type ReplayMarker,
} from './dead-letter-replays';
import type { DeadLetter } from './reliable-consumer';

const letter: DeadLetter = {
  service: 'registration-office',
  originalTopic: 'dossier-intake.dossier.events.v1',
  partition: 2,
  offset: '77',
  key: 'D1',
  value: '{"specversion":"1.0"}',
  valueEncoding: 'utf8',
  headers: { ce_type: 'dossier.submitted', traceparent: '00-abc-def-01' },
  error: { class: 'Error', message: 'database down' },
  attempts: 6,
  deadLetteredAt: '2026-11-22T08:00:00.000Z',
};

const marker = (offset: string, replayedAt = '2026-11-22T09:00:00.000Z'): ReplayMarker => ({
  replayOf: { partition: 0, offset },
  republishedTo: { topic: letter.originalTopic, partition: 2, offset: '90' },
  replayedAt,
  replayedBy: 'ops@host',
  forced: false,
});

/** A DLQ topic as the tool reads it: the marker goes through its own message encoding. */
function read(values: { value: string | null; headers?: Record<string, string> }[]) {
  return values.map(({ value, headers }, offset) =>
    classifyRecord({ partition: 0, offset: String(offset) }, value, headers),
  );
}
const letterRecord = (l: DeadLetter = letter) => ({ value: JSON.stringify(l) });
const markerRecord = (m: ReplayMarker) => {
  const message = replayMarkerMessage(m);
  return { value: message.value as string, headers: message.headers as Record<string, string> };
};

describe('dead-letter replay bookkeeping', () => {
  it('names letters by offset, and by partition:offset off partition 0', () => {
    expect(formatLetterRef({ partition: 0, offset: '12' })).toBe('12');
    expect(formatLetterRef({ partition: 1, offset: '12' })).toBe('1:12');
    expect(parseLetterRef('12')).toEqual({ partition: 0, offset: '12' });
    expect(parseLetterRef('1:012')).toEqual({ partition: 1, offset: '12' });
    expect(() => parseLetterRef('twelve')).toThrow('not a dead-letter offset');
  });

  it('tells letters, replay markers and foreign records apart', () => {
    const [l, m, junk, empty] = read([
      letterRecord(),
      markerRecord(marker('0')),
      { value: 'not json' },
      { value: null },
    ]);
    expect(l).toMatchObject({ kind: 'letter', letter });
    expect(m).toMatchObject({ kind: 'replay', marker: marker('0') });
    expect(junk).toMatchObject({ kind: 'unreadable', text: 'not json' });
    expect(empty).toMatchObject({ kind: 'unreadable', text: null });
  });

  it('does not take a letter-shaped value for a marker without the marker header, nor the reverse', () => {
    const [m] = read([{ value: JSON.stringify(marker('0')) }]);
    expect(m!.kind).toBe('unreadable');
    const [l] = read([
      { value: JSON.stringify(letter), headers: { [ReplayMarkerHeader.Name]: ReplayMarkerHeader.Value } },
    ]);
    expect(l!.kind).toBe('letter');
  });

  it('reads letters written before valueEncoding existed as UTF-8', () => {
    const { valueEncoding: _e, ...old } = letter;
    const [l] = read([{ value: JSON.stringify(old) }]);
    expect(l).toMatchObject({ kind: 'letter', letter: { valueEncoding: 'utf8' } });
  });

  it('joins each letter with its replays and lists no markers', () => {
    const records = read([
      letterRecord(),
      letterRecord({ ...letter, offset: '78' }),
      markerRecord(marker('0')),
      markerRecord(marker('0', '2026-11-22T10:00:00.000Z')),
    ]);
    const entries = collateDeadLetters('registration-office', records);
    expect(entries.map((e) => [e.ref.offset, e.replays.map((r) => r.replayedAt)])).toEqual([
      ['0', ['2026-11-22T09:00:00.000Z', '2026-11-22T10:00:00.000Z']],
      ['1', []],
    ]);
  });

  it('replays only letters never replayed, unless forced, and never a foreign record', () => {
    const entries = collateDeadLetters(
      'registration-office',
      read([letterRecord(), letterRecord(), { value: 'junk' }, markerRecord(marker('0'))]),
    );
    const plan = planReplay(entries, { force: false });
    expect(plan.replay.map((e) => e.ref.offset)).toEqual(['1']);
    expect(plan.skipped.map((s) => [s.entry.ref.offset, s.reason])).toEqual([
      ['0', 'already-replayed'],
      ['2', 'not-a-dead-letter'],
    ]);
    expect(planReplay(entries, { force: true }).replay.map((e) => e.ref.offset)).toEqual(['0', '1']);
  });

  it('replays the original key, value bytes and headers, naming the letter it came from', () => {
    const message = replayMessage(letter, 'registration-office.dlq.v1', { partition: 0, offset: '5' });
    expect(message.key).toBe('D1');
    expect((message.value as Buffer).toString('utf8')).toBe(letter.value);
    expect(message.headers).toEqual({ ...letter.headers, dlq_replay_of: 'registration-office.dlq.v1@5' });
    const binary = Buffer.from([0xff, 0x00, 0x41]);
    const raw = replayMessage({ ...letter, value: binary.toString('base64'), valueEncoding: 'base64' }, 't', {
      partition: 0,
      offset: '6',
    });
    expect(raw.value).toEqual(binary);
    expect(replayMessage({ ...letter, value: null }, 't', { partition: 0, offset: '7' }).value).toBeNull();
  });
});
