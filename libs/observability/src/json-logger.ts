import { type LoggerService } from '@nestjs/common';
import { trace } from '@opentelemetry/api';

type Level = 'debug' | 'info' | 'warn' | 'error';
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
// Twelve-digit personal identification numbers and nine-digit legacy ones are masked wherever they appear in text.
const personalId = /\b(\d{4})\d{3,6}(\d{2})\b/g;

/** Masks anything that looks like a personal identification number inside free text. */
export function redact(text: string): string {
  return text.replace(personalId, (match, head: string, tail: string) =>
    match.length === 12 || match.length === 9 ? `${head}${'*'.repeat(match.length - 6)}${tail}` : match,
  );
}

/**
 * NestJS logger writing one JSON object per line with `trace_id`/`span_id` of the active span, so a log line can be
 * found from a trace and back. Personal identification numbers in messages are masked.
 */
export class JsonLogger implements LoggerService {
  constructor(
    private readonly service: string,
    private readonly minimum: Level = 'info',
  ) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }

  private write(level: Level, message: unknown, rest: unknown[]): void {
    if (order[level] < order[this.minimum]) return;
    const context = typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const span = trace.getActiveSpan()?.spanContext();
    const text =
      message instanceof Error
        ? (message.stack ?? message.message)
        : typeof message === 'string'
          ? message
          : JSON.stringify(message);
    const line = {
      time: new Date().toISOString(),
      level,
      service: this.service,
      context,
      msg: redact(text),
      ...(rest.length > 0
        ? { detail: redact(rest.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join(' ')) }
        : {}),
      ...(span ? { trace_id: span.traceId, span_id: span.spanId } : {}),
    };
    (level === 'error' || level === 'warn' ? process.stderr : process.stdout).write(`${JSON.stringify(line)}\n`);
  }
}
