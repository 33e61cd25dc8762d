import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';

/** Base64 characters decoded at a time: 1 MiB of text, 768 KiB of bytes (a multiple of 4, so chunks decode alone). */
const chunkChars = 1 << 20;

/** The decoded bytes of a base64 text, one chunk at a time: the file is never decoded whole. */
function* chunks(data: string): Generator<Buffer> {
  for (let i = 0; i < data.length; i += chunkChars) yield Buffer.from(data.slice(i, i + chunkChars), 'base64');
}

/**
 * Size, SHA-256 and first bytes of the file a base64 text encodes (the VBDLIS payload's `TapTin.data`), decoded in
 * chunks; only the first chunk is kept (for the media type).
 */
export function base64Digest(data: string): { sha256: string; sizeBytes: number; head: Buffer } {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  let head: Buffer = Buffer.alloc(0);
  for (const chunk of chunks(data)) {
    if (sizeBytes === 0) head = chunk.subarray(0, 16);
    hash.update(chunk);
    sizeBytes += chunk.length;
  }
  return { sha256: hash.digest('hex'), sizeBytes, head: Buffer.from(head) };
}

/** The file a base64 text encodes, as a stream decoded chunk by chunk (each call starts anew). */
export function base64Stream(data: string): NodeJS.ReadableStream {
  return Readable.from(chunks(data), { objectMode: false });
}
