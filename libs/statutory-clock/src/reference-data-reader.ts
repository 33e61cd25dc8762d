import { ReferenceDataError } from './errors';

type Json = unknown;

/**
 * Reads a parsed JSON reference file defensively: every accessor records a problem (with its JSON path) instead of
 * throwing, so one start-up error lists everything that is wrong with the file.
 */
export class ReferenceDataReader {
  private readonly problems: string[] = [];

  constructor(readonly file: string) {}

  /** Records a problem at `path`. */
  problem(path: string, message: string): void {
    this.problems.push(`${path}: ${message}`);
  }

  /** The value as an object, or an empty one (and a problem). */
  object(value: Json, path: string): Record<string, Json> {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, Json>;
    this.problem(path, 'expected an object');
    return {};
  }

  /** The value as an array, or an empty one (and a problem). */
  array(value: Json, path: string): Json[] {
    if (Array.isArray(value)) return value;
    this.problem(path, 'expected an array');
    return [];
  }

  /** The value as a string matching `pattern`, or '' (and a problem). */
  string(value: Json, path: string, pattern?: RegExp): string {
    if (typeof value === 'string' && (!pattern || pattern.test(value))) return value;
    this.problem(path, pattern ? `expected a string matching ${String(pattern)}` : 'expected a string');
    return '';
  }

  /** The value as one of `allowed`, or the first of them (and a problem). */
  oneOf<T extends string>(value: Json, path: string, allowed: readonly T[]): T {
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    this.problem(path, `expected one of ${allowed.join(', ')}`);
    return allowed[0] as T;
  }

  /** The value as an integer in [min, max], or min (and a problem). */
  integer(value: Json, path: string, min: number, max: number): number {
    if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
    this.problem(path, `expected an integer from ${min} to ${max}`);
    return min;
  }

  /** Runs `read` and records what it throws as a problem at `path` (for parsers that throw, like dates). */
  attempt<T>(path: string, read: () => T, fallback: T): T {
    try {
      return read();
    } catch (error) {
      this.problem(path, error instanceof Error ? error.message : String(error));
      return fallback;
    }
  }

  /** Throws a ReferenceDataError when any problem was recorded. */
  done(): void {
    if (this.problems.length > 0) throw new ReferenceDataError(this.file, this.problems);
  }
}

/** `YYYY-MM-DD`. */
export const CIVIL_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** `HH:MM`. */
export const TIME_OF_DAY = /^([01]\d|2[0-4]):[0-5]\d$/;
