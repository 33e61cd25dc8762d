import { Kafka, logLevel } from 'kafkajs';
import { maskDeadLetter } from '../dead-letter-masking';
import { formatLetterRef, parseLetterRef, type DeadLetterEntry, type LetterRef } from '../dead-letter-replays';
import { DeadLetterTool, type ReplayOutcome } from '../dead-letter-tool';
import { ServiceNames } from '../topics';

// `npm run dlq -- <command>`: lists, shows (masked) and replays the services' dead letters. Built with the rest of
// the code by tools/build.mjs and run from dist/, so it shares the libraries' Kafka settings, types and masking.

export const dlqUsage = `Usage: npm run dlq -- <command> [options]

  list [--service S] [--limit N]            one line per dead letter (newest N per service, default 50)
  show <service> <offset>                   one dead letter, personal data masked
  replay <service> <offset>... [--force]    send the original message(s) to their topic again
  replay --all [--service S] [--force]      every letter not replayed yet (of one service or all)

  <offset> is the letter's offset on <service>.dlq.v1 (as listed; <partition>:<offset> on a multi-partition topic).
  A replayed letter is skipped on a second replay unless --force.
  --brokers H:P[,H:P]   Kafka bootstrap servers (default $KAFKA_BROKERS or 127.0.0.1:9092)
  --timeout MS          give up reading a DLQ topic after MS milliseconds (default 30000)
  services: ${Object.values(ServiceNames).join(', ')}
`;

/** A parsed command line. */
export type DlqCommand = { brokers: string[]; timeoutMs: number } & (
  | { name: 'help' }
  | { name: 'list'; services: string[]; limit: number }
  | { name: 'show'; service: string; ref: LetterRef }
  | { name: 'replay'; services: string[]; refs: LetterRef[] | 'all'; force: boolean }
);

/** A command line that cannot be run; printed with the usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const knownServices: readonly string[] = Object.values(ServiceNames);

function service(name: string | undefined): string {
  if (name === undefined) throw new UsageError('a service name is required');
  if (!knownServices.includes(name)) throw new UsageError(`unknown service "${name}" (${knownServices.join(', ')})`);
  return name;
}

function positiveInteger(value: string | undefined, option: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${option} needs a positive integer`);
  return n;
}

/** Parses `argv` (without `node` and the script); throws UsageError. */
export function parseDlqArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): DlqCommand {
  const positional: string[] = [];
  const options = new Map<string, string | true>();
  const valued = new Set(['--service', '--limit', '--brokers', '--timeout']);
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '-h' || arg === '--help') options.set('--help', true);
    else if (valued.has(arg)) {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`${arg} needs a value`);
      options.set(arg, value);
      i += 1;
    } else if (arg === '--all' || arg === '--force') options.set(arg, true);
    else if (arg.startsWith('--')) throw new UsageError(`unknown option ${arg}`);
    else positional.push(arg);
  }
  const text = (name: string): string | undefined => {
    const value = options.get(name);
    return typeof value === 'string' ? value : undefined;
  };
  const common = {
    brokers: (text('--brokers') ?? env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').filter(Boolean),
    timeoutMs: text('--timeout') === undefined ? 30_000 : positiveInteger(text('--timeout'), '--timeout'),
  };
  const [name, ...rest] = positional;
  if (options.has('--help') || name === undefined || name === 'help') return { ...common, name: 'help' };
  const services = text('--service') === undefined ? [...knownServices] : [service(text('--service'))];
  switch (name) {
    case 'list':
      if (rest.length > 0) throw new UsageError('list takes no arguments (use --service)');
      return {
        ...common,
        name,
        services,
        limit: text('--limit') === undefined ? 50 : positiveInteger(text('--limit'), '--limit'),
      };
    case 'show':
      if (rest.length !== 2) throw new UsageError('show needs <service> <offset>');
      return { ...common, name, service: service(rest[0]), ref: parseRef(rest[1]!) };
    case 'replay': {
      const force = options.has('--force');
      if (options.has('--all')) {
        if (rest.length > 0) throw new UsageError('replay --all takes no offsets (use --service to narrow it)');
        return { ...common, name, services, refs: 'all', force };
      }
      if (rest.length < 2) throw new UsageError('replay needs <service> <offset>... or --all');
      if (options.has('--service')) throw new UsageError('--service goes with --all; otherwise name the service first');
      return { ...common, name, services: [service(rest[0])], refs: rest.slice(1).map(parseRef), force };
    }
    default:
      throw new UsageError(`unknown command "${name}"`);
  }
}

function parseRef(text: string): LetterRef {
  try {
    return parseLetterRef(text);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** `PoisonMessageError(NOT_JSON)`: the error class, with the reason code when the message starts with one. */
export function errorLabel(error: { class: string; message: string }): string {
  const reason = /^([A-Z][A-Z0-9_]+):/.exec(error.message)?.[1];
  return reason ? `${error.class}(${reason})` : error.class;
}

/** One `list` line: service, DLQ offset, original coordinates, error, attempts, time, replay state. */
export function formatListLine(entry: DeadLetterEntry): string {
  const ref = formatLetterRef(entry.ref);
  if (!entry.letter) return [entry.service, ref, '(not a dead letter)'].join('  ');
  const { letter } = entry;
  const last = entry.replays.at(-1);
  const replayed = last
    ? `replayed ${last.replayedAt}${entry.replays.length > 1 ? ` (${entry.replays.length}x)` : ''}`
    : 'not replayed';
  return [
    entry.service,
    ref,
    `${letter.originalTopic}/${letter.partition}@${letter.offset}`,
    errorLabel(letter.error),
    `attempts=${letter.attempts}`,
    letter.deadLetteredAt,
    replayed,
  ].join('  ');
}

/** The `show` answer: the masked letter as indented JSON, with where it sits and its replays. */
export function formatShow(entry: DeadLetterEntry): string {
  const letter = entry.letter ? maskDeadLetter(entry.letter) : { note: 'this record is not a dead letter' };
  return JSON.stringify({ dlqOffset: formatLetterRef(entry.ref), ...letter, replays: entry.replays }, null, 2);
}

/** One line per letter a replay handled. */
export function formatReplayOutcome(outcome: ReplayOutcome): string {
  const id = `${outcome.entry.service} ${formatLetterRef(outcome.entry.ref)}`;
  switch (outcome.status) {
    case 'replayed': {
      const to = outcome.marker!.republishedTo;
      return `replayed ${id} -> ${to.topic}/${to.partition}@${to.offset}${outcome.marker!.forced ? ' (forced)' : ''}`;
    }
    case 'already-replayed': {
      const last = outcome.entry.replays.at(-1)!;
      return `skipped ${id}: already replayed at ${last.replayedAt} by ${last.replayedBy} (--force replays it again)`;
    }
    case 'not-a-dead-letter':
      return `skipped ${id}: not a dead letter`;
  }
}

/** Runs a parsed command with `tool`, writing to `out`; resolves with the exit code. */
export async function runDlq(
  command: DlqCommand,
  tool: Pick<DeadLetterTool, 'list' | 'show' | 'replay'>,
  out: (line: string) => void,
): Promise<number> {
  switch (command.name) {
    case 'help':
      out(dlqUsage);
      return 0;
    case 'list': {
      let total = 0;
      for (const service of command.services) {
        const entries = await tool.list(service);
        total += entries.length;
        if (entries.length > command.limit)
          out(`${service}: ${entries.length - command.limit} older letter(s) not shown (--limit)`);
        for (const entry of entries.slice(-command.limit)) out(formatListLine(entry));
      }
      out(`${total} dead letter(s) in ${command.services.length} service(s)`);
      return 0;
    }
    case 'show': {
      const entry = await tool.show(command.service, command.ref);
      if (!entry) {
        out(`no dead letter at ${command.service} ${formatLetterRef(command.ref)}`);
        return 1;
      }
      out(formatShow(entry));
      return 0;
    }
    case 'replay': {
      let replayed = 0;
      for (const service of command.services) {
        for (const outcome of await tool.replay(service, command.refs, { force: command.force })) {
          if (outcome.status === 'replayed') replayed += 1;
          out(formatReplayOutcome(outcome));
        }
      }
      out(`${replayed} letter(s) replayed`);
      return 0;
    }
  }
}

async function main(argv: readonly string[]): Promise<number> {
  let command: DlqCommand;
  try {
    command = parseDlqArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`dlq: ${error.message}\n\n${dlqUsage}`);
    return 2;
  }
  const tool = new DeadLetterTool({
    // Few retries and no client logs: an operator wants a clear error within seconds when the broker is away.
    kafka: new Kafka({
      clientId: 'dlq-tool',
      brokers: command.brokers,
      connectionTimeout: 3_000,
      requestTimeout: 10_000,
      logLevel: logLevel.NOTHING,
      retry: { retries: 2, initialRetryTime: 300, maxRetryTime: 2_000 },
    }),
    readTimeoutMs: command.timeoutMs,
  });
  try {
    return await runDlq(command, tool, (line) => process.stdout.write(`${line}\n`));
  } finally {
    await tool.close();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`dlq: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
