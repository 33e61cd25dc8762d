import {
  BadRequestException,
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  ValidationPipe,
  type ArgumentsHost,
  type ExceptionFilter,
  type ValidationError as ClassValidatorError,
} from '@nestjs/common';
import {
  ConflictError,
  DomainError,
  IdempotencyMismatchError,
  NotFoundError,
  PayloadTooLargeError,
  UnavailableError,
  ValidationError,
  type FieldError,
} from '@lienthong/kernel';
import { activeTraceId, redact } from '@lienthong/observability';
import type { Request, Response } from 'express';

/** RFC 9457 problem details, as every service answers errors. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
  traceId?: string;
}

const typeBase = 'https://lienthong.gov.vn/problems/';

function flatten(errors: ClassValidatorError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = /^\d+$/.test(error.property)
      ? `${prefix}[${error.property}]`
      : `${prefix}${prefix ? '.' : ''}${error.property}`;
    const own = Object.entries(error.constraints ?? {}).map(([code, message]) => ({
      field,
      code: code === 'whitelistValidation' ? 'UNKNOWN_FIELD' : code.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase(),
      message: redact(message),
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * The global validation pipe: DTOs are whitelisted (unknown and server-owned fields are rejected, not dropped),
 * converted to their classes, and every violation is reported per field.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationError('The request has invalid fields.', flatten(errors)),
  });
}

function fromDomain(error: DomainError): ProblemDetails & { retryAfter?: number } {
  if (error instanceof ValidationError) {
    return {
      type: `${typeBase}validation`,
      title: 'Invalid request',
      status: 400,
      detail: error.message,
      errors: [...error.errors],
    };
  }
  if (error instanceof NotFoundError) {
    return { type: `${typeBase}not-found`, title: 'Not found', status: 404, detail: error.message };
  }
  if (error instanceof IdempotencyMismatchError) {
    return {
      type: `${typeBase}idempotency-key-reused`,
      title: 'Idempotency key reused',
      status: 422,
      detail: error.message,
    };
  }
  if (error instanceof ConflictError) {
    return {
      type: `${typeBase}conflict`,
      title: 'Conflict',
      status: 409,
      detail: error.message,
      retryAfter: error.retryAfterSeconds,
    };
  }
  if (error instanceof PayloadTooLargeError) {
    return { type: `${typeBase}too-large`, title: 'Payload too large', status: 413, detail: error.message };
  }
  if (error instanceof UnavailableError) {
    return {
      type: `${typeBase}unavailable`,
      title: 'Service unavailable',
      status: 503,
      detail: error.message,
      retryAfter: error.retryAfterSeconds,
    };
  }
  return { type: `${typeBase}${error.code.toLowerCase()}`, title: error.code, status: 400, detail: error.message };
}

/**
 * Turns every error into `application/problem+json`. Domain errors keep their meaning (400/404/409/422); framework
 * HTTP errors keep their status; anything unexpected is a 500 that reveals nothing but the trace id. Details never
 * echo personal identification numbers.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const context = host.switchToHttp();
    const request = context.getRequest<Request>();
    const response = context.getResponse<Response>();
    let problem: ProblemDetails & { retryAfter?: number };
    if (exception instanceof DomainError) {
      problem = fromDomain(exception);
    } else if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const message = typeof body === 'object' && body !== null && 'message' in body ? body.message : body;
      problem = {
        type: `${typeBase}${status === 413 ? 'too-large' : status === 415 ? 'unsupported-media-type' : 'http-' + status}`,
        title: HttpStatus[status]?.replace(/_/g, ' ').toLowerCase() ?? 'error',
        status,
        detail: redact(Array.isArray(message) ? message.join('; ') : String(message)),
      };
      if (exception instanceof BadRequestException && status === 400) problem.type = `${typeBase}malformed`;
    } else if (isBodyParserError(exception)) {
      problem = {
        type: `${typeBase}${exception.status === 413 ? 'too-large' : 'malformed'}`,
        title: exception.status === 413 ? 'Request body too large' : 'Malformed request body',
        status: exception.status,
        detail:
          exception.status === 413 ? 'The request body exceeds the size limit.' : 'The request body is not valid JSON.',
      };
    } else {
      this.logger.error(exception instanceof Error ? exception : String(exception));
      problem = {
        type: `${typeBase}internal`,
        title: 'Internal error',
        status: 500,
        detail: 'An unexpected error occurred.',
      };
    }
    const { retryAfter, ...body } = problem;
    if (retryAfter !== undefined) response.setHeader('Retry-After', String(retryAfter));
    response
      .status(body.status)
      .type('application/problem+json')
      .json({ ...body, instance: request.originalUrl, traceId: activeTraceId() });
  }
}

function isBodyParserError(error: unknown): error is { status: number; type: string } {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { type?: unknown }).type === 'string' &&
    typeof (error as { status?: unknown }).status === 'number'
  );
}
