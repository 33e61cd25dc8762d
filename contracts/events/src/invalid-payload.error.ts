/**
 * An event's `data` does not satisfy its contract. Such a message can never succeed, so consumers dead-letter it at
 * once instead of retrying. `problems` name the failing fields and rules, never the values (they may be personal).
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
