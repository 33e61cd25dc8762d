import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import {
  ConflictError,
  DomainError,
  IdempotencyMismatchError,
  NotFoundError,
  PayloadTooLargeError,
  UnavailableError,
  ValidationError,
} from '@lienthong/kernel';
import { redact } from '@lienthong/observability';
import type { Response } from 'express';
import { toPayloadFields } from './vbdlis-mapping';

/** The answer shape of the land information system (domain.md §7): `data` 1 or 0 and a `status` block. */
export interface VbdlisResponse {
  data: 0 | 1;
  status: { success: boolean; code: string; type: string; time: string; message: string };
}

export function vbdlisAnswer(success: boolean, httpStatus: number, message: string): VbdlisResponse {
  return {
    data: success ? 1 : 0,
    status: {
      success,
      code: String(httpStatus),
      type: success ? 'success' : 'error',
      time: new Date().toISOString(),
      message: redact(message),
    },
  };
}

/**
 * Refusals of the compatibility endpoint in the land information system's shape (`data: 0`, `success: false`,
 * a message naming the payload's fields), with the HTTP status the canonical API would give. Never echoes an
 * identification number.
 */
@Catch()
export class VbdlisResponseFilter implements ExceptionFilter {
  private readonly logger = new Logger('VbdlisCompat');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    let status = 500;
    let message = 'Lỗi hệ thống; vui lòng gửi lại sau.';
    if (exception instanceof ValidationError) {
      status = 400;
      const fields = toPayloadFields(exception.errors).map((e) => `${e.field}: ${e.message} (${e.code})`);
      message = [exception.message, ...fields].join(' ');
    } else if (exception instanceof NotFoundError) {
      status = 404;
      message = exception.message;
    } else if (exception instanceof IdempotencyMismatchError) {
      status = 422;
      message = 'Số biên nhận này đã được gửi với nội dung khác (the receipt was already sent with another content).';
    } else if (exception instanceof ConflictError) {
      status = 409;
      message = exception.message;
      if (exception.retryAfterSeconds !== undefined)
        response.setHeader('Retry-After', String(exception.retryAfterSeconds));
    } else if (exception instanceof PayloadTooLargeError) {
      status = 413;
      message = exception.message;
    } else if (exception instanceof UnavailableError) {
      // The document store is down, or the service is at its capacity for large bodies: nothing was stored.
      status = 503;
      message = `${exception.message} Nothing was stored; send the dossier again later.`;
      response.setHeader('Retry-After', String(exception.retryAfterSeconds));
    } else if (exception instanceof DomainError) {
      status = 400;
      message = exception.message;
    } else if (exception instanceof HttpException) {
      status = exception.getStatus();
      const body = exception.getResponse();
      const text = typeof body === 'object' && body !== null && 'message' in body ? body.message : body;
      message = Array.isArray(text) ? text.join('; ') : String(text);
    } else if (typeof (exception as { status?: unknown })?.status === 'number') {
      status = (exception as { status: number }).status;
      message = status === 413 ? 'The request body exceeds the size limit.' : 'The request body is not valid JSON.';
    } else {
      this.logger.error(exception instanceof Error ? exception : String(exception));
    }
    response.status(status).json(vbdlisAnswer(false, status, message));
  }
}
