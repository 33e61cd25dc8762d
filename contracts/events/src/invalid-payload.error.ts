/**
 * An event's `data` does not satisfy its contract. Such a message can never succeed, so consumers dead-letter it at
 * once instead of retrying.
 */
export class InvalidPayloadError extends Error {
  constructor(
    readonly eventType: string,
    readonly problems: string[],
  ) {
    super(`invalid ${eventType} payload: ${problems.join('; ')}`);
    this.name = 'InvalidPayloadError';
  }
}

type Check = [ok: boolean, problem: string];

/** Throws InvalidPayloadError listing every failed check. */
export function assertChecks(eventType: string, checks: Check[]): void {
  const problems = checks.filter(([ok]) => !ok).map(([, problem]) => problem);
  if (problems.length > 0) throw new InvalidPayloadError(eventType, problems);
}

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
export const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
