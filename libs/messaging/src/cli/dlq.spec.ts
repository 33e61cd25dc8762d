import type { DeadLetterEntry, LetterRef, ReplayMarker } from '../dead-letter-replays';
import type { ReplayOutcome } from '../dead-letter-tool';
import type { DeadLetter } from '../reliable-consumer';
import { errorLabel, formatListLine, formatShow, parseDlqArgs, runDlq, UsageError } from './dlq';

const letter: DeadLetter = {
  service: 'registration-office',
  originalTopic: 'dossier-intake.dossier.events.v1',
  partition: 3,
  offset: '1045',
  key: 'D1',
  value: JSON.stringify({ data: { applicant: { fullName: 'Nguyễn Văn An', personalIdNumber: '056080001234' } } }),
  valueEncoding: 'utf8',
  headers: {},
  error: { class: 'PoisonMessageError', message: 'UNKNOWN_TYPE: dossier.renamed is not an event type' },
  attempts: 1,
  deadLetteredAt: '2026-11-22T08:00:00.000Z',
};
const marker: ReplayMarker = {
  replayOf: { partition: 0, offset: '4' },
  republishedTo: { topic: letter.originalTopic, partition: 3, offset: '2000' },
  replayedAt: '2026-11-22T09:00:00.000Z',
  replayedBy: 'ops@host',
  forced: false,
};
const entry = (offset: string, replays: ReplayMarker[] = []): DeadLetterEntry => ({
  service: 'registration-office',
  ref: { partition: 0, offset },
  letter,
  replays,
});

describe('dlq command line', () => {
  const env = {};

  it('parses list, show and replay', () => {
    expect(parseDlqArgs(['list'], env)).toMatchObject({
      name: 'list',
      services: ['dossier-intake', 'registration-office', 'population-matching', 'notification'],
      limit: 50,
      brokers: ['127.0.0.1:9092'],
      timeoutMs: 30_000,
    });
    expect(
      parseDlqArgs(['list', '--service', 'notification', '--limit', '5'], { KAFKA_BROKERS: 'k1:9092,k2:9092' }),
    ).toMatchObject({
      services: ['notification'],
      limit: 5,
      brokers: ['k1:9092', 'k2:9092'],
    });
    expect(parseDlqArgs(['show', 'registration-office', '12'], env)).toMatchObject({
      name: 'show',
      service: 'registration-office',
      ref: { partition: 0, offset: '12' },
    });
    expect(parseDlqArgs(['replay', 'registration-office', '12', '0:13', '--force'], env)).toMatchObject({
      name: 'replay',
      services: ['registration-office'],
      refs: [
        { partition: 0, offset: '12' },
        { partition: 0, offset: '13' },
      ],
      force: true,
    });
    expect(parseDlqArgs(['replay', '--all', '--service', 'notification'], env)).toMatchObject({
      refs: 'all',
      services: ['notification'],
      force: false,
    });
    expect(parseDlqArgs([], env).name).toBe('help');
  });

  it.each([
    [['list', 'extra']],
    [['show', 'registration-office']],
    [['show', 'nobody', '1']],
    [['show', 'registration-office', 'x']],
    [['replay', 'registration-office']],
    [['replay', '--all', 'registration-office', '1']],
    [['replay', 'registration-office', '1', '--service', 'notification']],
    [['list', '--limit', '0']],
    [['list', '--service']],
    [['purge']],
    [['list', '--verbose']],
  ])('rejects %j with a usage error', (argv) => {
    expect(() => parseDlqArgs(argv, env)).toThrow(UsageError);
  });

  it('lists one line per letter with its coordinates, error, attempts, time and replay state', () => {
    expect(formatListLine(entry('4', [marker]))).toBe(
      'registration-office  4  dossier-intake.dossier.events.v1/3@1045  PoisonMessageError(UNKNOWN_TYPE)  attempts=1  2026-11-22T08:00:00.000Z  replayed 2026-11-22T09:00:00.000Z',
    );
    expect(formatListLine(entry('5'))).toMatch(/ {2}not replayed$/);
    expect(errorLabel({ class: 'Error', message: 'database down' })).toBe('Error');
  });

  it('shows a letter with personal data masked', () => {
    const shown = formatShow(entry('4', [marker]));
    expect(shown).not.toContain('056080001234');
    expect(shown).not.toContain('Nguyễn Văn An');
    expect(JSON.parse(shown)).toMatchObject({
      dlqOffset: '4',
      originalTopic: letter.originalTopic,
      value: { data: { applicant: { fullName: 'N. V. A.', personalIdNumber: '0560******34' } } },
      replays: [marker],
    });
  });

  it('runs list with --limit showing the newest letters, and replay reporting each outcome', async () => {
    const lines: string[] = [];
    const tool = {
      list: (): Promise<DeadLetterEntry[]> => Promise.resolve([entry('1'), entry('2'), entry('3')]),
      show: (_s: string, ref: LetterRef): Promise<DeadLetterEntry | undefined> =>
        Promise.resolve(ref.offset === '1' ? entry('1') : undefined),
      replay: (): Promise<ReplayOutcome[]> =>
        Promise.resolve([
          { entry: entry('4', [marker]), status: 'already-replayed' },
          {
            entry: entry('5', [marker]),
            status: 'replayed',
            marker: { ...marker, replayOf: { partition: 0, offset: '5' } },
          },
        ]),
    };
    const base = { brokers: [], timeoutMs: 1 };
    expect(
      await runDlq({ ...base, name: 'list', services: ['registration-office'], limit: 2 }, tool, (l) => lines.push(l)),
    ).toBe(0);
    expect(lines[0]).toBe('registration-office: 1 older letter(s) not shown (--limit)');
    expect(lines.slice(1, 3).map((l) => l.split('  ')[1])).toEqual(['2', '3']);
    lines.length = 0;
    const replay = {
      ...base,
      name: 'replay' as const,
      services: ['registration-office'],
      refs: 'all' as const,
      force: false,
    };
    expect(await runDlq(replay, tool, (l) => lines.push(l))).toBe(0);
    expect(lines).toEqual([
      'skipped registration-office 4: already replayed at 2026-11-22T09:00:00.000Z by ops@host (--force replays it again)',
      'replayed registration-office 5 -> dossier-intake.dossier.events.v1/3@2000',
      '1 letter(s) replayed',
    ]);
    const show = { ...base, name: 'show' as const, service: 'registration-office', ref: { partition: 0, offset: '9' } };
    expect(await runDlq(show, tool, () => undefined)).toBe(1);
  });
});
