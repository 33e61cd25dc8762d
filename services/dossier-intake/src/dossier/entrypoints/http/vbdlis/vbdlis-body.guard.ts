import {
  BadRequestException,
  Inject,
  Injectable,
  UnsupportedMediaTypeException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { PayloadTooLargeError, UnavailableError } from '@lienthong/kernel';
import type { Request, Response } from 'express';

/** The path whose JSON body this guard reads (the shared 1 MB parser skips it: runHybridService's ownJsonBodies). */
export const vbdlisTiepNhanPath = '/v1/compat/vbdlis/tiepnhan';

/** DI token of the VBDLIS body limits. */
export const VBDLIS_BODY_LIMITS = Symbol('VBDLIS_BODY_LIMITS');

/** How large a VBDLIS body may be, and how many large ones are read at the same time (ADR 0007). */
export interface VbdlisBodyLimits {
  /** Largest body (VBDLIS_MAX_BODY_BYTES): base64 makes a file a third larger, plus the dossier's fields. */
  maxBodyBytes: number;
  /** Bodies over `smallBodyBytes` read at the same time (VBDLIS_LARGE_BODIES); the next one is answered 503. */
  largeBodies: number;
  /** A body up to this size is small (the other routes' limit): it is never turned away for capacity. */
  smallBodyBytes: number;
  /** Retry-After of the 503, in seconds. */
  retryAfterSeconds: number;
}

/** The defaults (DossierIntakeEnv: VBDLIS_MAX_BODY_BYTES, VBDLIS_LARGE_BODIES). */
export const defaultVbdlisBodyLimits: VbdlisBodyLimits = {
  maxBodyBytes: 70 * 1024 * 1024,
  largeBodies: 2,
  smallBodyBytes: 1024 * 1024,
  retryAfterSeconds: 5,
};

/**
 * Reads the body of the VBDLIS compatibility route, whose attachments arrive base64-encoded inside the JSON: up to
 * `maxBodyBytes` instead of the 1 MB of every other route, and at most `largeBodies` large bodies at a time in the
 * process. It runs after authentication and the rate limit (guards run in order), so only an authenticated client
 * gets a large body read, and before the validation pipe (which reads `request.body`).
 *
 * Memory: the body is read into one buffer of its declared length (no list of chunks plus a copy), parsed, and the
 * buffer dropped; the attachments are decoded chunk by chunk while they stream into the store (vbdlis-mapping).
 * A body without Content-Length counts as large and is cut off at the limit. A refused body is answered at once;
 * Node discards the rest of it.
 */
@Injectable()
export class VbdlisBodyGuard implements CanActivate {
  private largeInFlight = 0;

  constructor(@Inject(VBDLIS_BODY_LIMITS) private readonly limits: VbdlisBodyLimits) {}

  /** Large bodies being read or processed now (for tests and metrics). */
  get inFlight(): number {
    return this.largeInFlight;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    const response = context.switchToHttp().getResponse<Response>();
    // Another spelling of the path (e.g. a trailing slash) went through the shared 1 MB parser: nothing left to read.
    if ((request as { _body?: boolean })._body === true || request.readableEnded) return true;
    const encoding = request.headers['content-encoding'];
    if (encoding && encoding !== 'identity') {
      throw new UnsupportedMediaTypeException('Content-Encoding must be identity');
    }
    const declared = request.headers['content-length'] ? Number(request.headers['content-length']) : undefined;
    if (declared !== undefined && declared > this.limits.maxBodyBytes) throw this.tooLarge();
    if (declared === undefined || declared > this.limits.smallBodyBytes) this.admitLarge(response);
    request.body = await this.read(request, declared);
    return true;
  }

  /** Takes one of the large-body slots until the answer is sent (or the connection closes), or answers 503. */
  private admitLarge(response: Response): void {
    if (this.largeInFlight >= this.limits.largeBodies) {
      throw new UnavailableError(
        `The service is already receiving ${this.limits.largeBodies} large dossiers; send this one again shortly.`,
        this.limits.retryAfterSeconds,
      );
    }
    this.largeInFlight += 1;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.largeInFlight -= 1;
    };
    response.once('finish', release);
    response.once('close', release);
  }

  private async read(request: Request, declared: number | undefined): Promise<unknown> {
    const limit = declared ?? this.limits.maxBodyBytes;
    let bytes: Buffer | undefined = await new Promise<Buffer>((resolve, reject) => {
      // One buffer of the declared length when known: no list of chunks plus a copy of them.
      const whole = declared !== undefined ? Buffer.allocUnsafe(declared) : undefined;
      const chunks: Buffer[] = [];
      let size = 0;
      const stop = (error: Error) => {
        // Stop reading but leave the stream alone: once the answer is sent, Node discards the rest of the body.
        request.removeListener('data', onData);
        request.removeListener('end', onEnd);
        request.pause();
        reject(error);
      };
      const onData = (chunk: Buffer) => {
        if (size + chunk.length > limit) return stop(this.tooLarge());
        if (whole) chunk.copy(whole, size);
        else chunks.push(chunk);
        size += chunk.length;
      };
      const onEnd = () => {
        if (declared !== undefined && size !== declared) {
          return reject(new BadRequestException('The body is shorter than its Content-Length.'));
        }
        resolve(whole ?? Buffer.concat(chunks, size));
      };
      request.on('data', onData);
      request.once('end', onEnd);
      request.once('error', (error) => reject(new BadRequestException(`The body could not be read: ${error.message}`)));
    });
    try {
      return JSON.parse(asciiJson(bytes));
    } catch {
      throw new BadRequestException('The request body is not valid JSON.');
    } finally {
      bytes = undefined;
    }
  }

  private tooLarge(): PayloadTooLargeError {
    return new PayloadTooLargeError(`The request body exceeds ${this.limits.maxBodyBytes} bytes.`);
  }
}

/**
 * The JSON text of a UTF-8 body as a string of ASCII characters only: every non-ASCII character (legal in JSON only
 * inside strings) written as a `\uXXXX` escape, which JSON.parse turns back into the same character. Why: V8 keeps a
 * string with any character above U+00FF (Vietnamese names: Đ, ư, ạ...) in two bytes per character, so decoding a
 * 50 MB body that holds one name would take 100 MB; escaped, the text stays one byte per character, and the
 * base64 attachments parse out of it as one-byte strings.
 */
export function asciiJson(bytes: Buffer): string {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i]! < 0x80) continue;
    let end = i + 1;
    while (end < bytes.length && bytes[end]! >= 0x80) end++;
    if (i > start) parts.push(bytes.toString('latin1', start, i));
    const text = bytes.toString('utf8', i, end);
    let escaped = '';
    for (let j = 0; j < text.length; j++) escaped += `\\u${text.charCodeAt(j).toString(16).padStart(4, '0')}`;
    parts.push(escaped);
    start = end;
    i = end - 1;
  }
  if (start === 0) return bytes.toString('latin1');
  if (start < bytes.length) parts.push(bytes.toString('latin1', start));
  return parts.join('');
}
