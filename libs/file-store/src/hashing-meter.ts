import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { FileBodyError, FileTooLargeError } from './file-store';

/**
 * A pass-through stream that hashes (SHA-256) and counts the bytes flowing through it, and fails with
 * FileTooLargeError as soon as they exceed `maxBytes`, before the excess reaches the store.
 */
export class HashingMeter extends Transform {
  private readonly hash: Hash = createHash('sha256');
  private count = 0;
  private hex?: string;

  constructor(private readonly maxBytes: number) {
    super();
  }

  /** Bytes seen so far. */
  get sizeBytes(): number {
    return this.count;
  }

  /** The SHA-256 of every byte seen (call once the stream has ended). */
  digest(): string {
    this.hex ??= this.hash.digest('hex');
    return this.hex;
  }

  override _transform(chunk: Buffer | string, _encoding: BufferEncoding, callback: TransformCallback): void {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    this.count += bytes.length;
    if (this.count > this.maxBytes) {
      callback(new FileTooLargeError(this.maxBytes));
      return;
    }
    this.hash.update(bytes);
    callback(null, bytes);
  }
}

/**
 * Pipes `body` into a new HashingMeter without handing the meter's failures back to `body`: on an error the body is
 * unpiped and left as it is (paused), never destroyed, so an HTTP request can still be answered (e.g. 413).
 * Errors of the body itself are forwarded to the meter.
 */
export function meter(body: NodeJS.ReadableStream, maxBytes: number): HashingMeter {
  const meterStream = new HashingMeter(maxBytes);
  const onBodyError = (error: Error) => meterStream.destroy(new FileBodyError(error));
  const onBodyClose = () => {
    // A body that closes without ending (a client that hung up) must not leave the store waiting forever.
    if (!meterStream.writableEnded) {
      meterStream.destroy(new FileBodyError(new Error('the file body closed before it ended')));
    }
  };
  body.once('error', onBodyError);
  body.once('close', onBodyClose);
  meterStream.once('close', () => {
    body.removeListener('error', onBodyError);
    body.removeListener('close', onBodyClose);
    if (meterStream.errored || !meterStream.writableFinished) {
      body.unpipe(meterStream);
      body.pause();
    }
  });
  if ((body as { destroyed?: boolean }).destroyed) {
    // Already failed or closed before the store got to it: nothing will flow.
    meterStream.destroy(new FileBodyError(new Error('the file body was closed before it was read')));
    return meterStream;
  }
  body.pipe(meterStream);
  return meterStream;
}

/** Reads a stream to its end, discarding the bytes (backpressure respected). */
export async function drain(stream: NodeJS.ReadableStream): Promise<void> {
  for await (const _chunk of stream as AsyncIterable<unknown>) {
    // discard
  }
}
