/** One problem with one field of an input, as reported in RFC 9457 `errors[]`. */
export interface FieldError {
  /** Path of the field in the input, e.g. `parties[1].personalIdNumber`. */
  field: string;
  /** Stable machine-readable code, e.g. `BIRTH_YEAR_MISMATCH`. */
  code: string;
  /** Human-readable explanation; never contains a full personal identification number. */
  message: string;
}

/**
 * Base of the errors that domain and application code raise on purpose. Entry points translate them to protocol
 * answers (HTTP problem details, dead letters); anything else is a bug or an unavailable dependency.
 */
export abstract class DomainError extends Error {
  /** Stable code, also used as the last segment of the problem `type` URI. */
  abstract readonly code: string;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The input breaks a rule; nothing was stored. */
export class ValidationError extends DomainError {
  readonly code = 'VALIDATION_FAILED';

  constructor(
    message: string,
    readonly errors: readonly FieldError[] = [],
  ) {
    super(message);
  }
}

/** The thing does not exist, or the caller may not see it (another tenant's data is reported as absent). */
export class NotFoundError extends DomainError {
  readonly code = 'NOT_FOUND';
}

/** The request conflicts with the current state (illegal transition, duplicate reference, request in flight). */
export class ConflictError extends DomainError {
  readonly code = 'CONFLICT';

  constructor(
    message: string,
    /** Seconds after which a retry may succeed, when the conflict is transient. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** The same idempotency key was used with a different request body. */
export class IdempotencyMismatchError extends DomainError {
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
}

/** The request's payload (a file, a body) is larger than allowed; nothing was stored. Answered as 413. */
export class PayloadTooLargeError extends DomainError {
  readonly code = 'PAYLOAD_TOO_LARGE';
}

/**
 * A dependency the request needs (e.g. the document store) is unavailable, or the service is at its capacity for
 * this kind of request; nothing was stored and the same request may be retried. Answered as 503 with Retry-After.
 */
export class UnavailableError extends DomainError {
  readonly code = 'UNAVAILABLE';

  constructor(
    message: string,
    /** Seconds after which a retry may succeed. */
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
