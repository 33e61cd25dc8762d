import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { ResolvedTarget } from './target-guard';

/** The parts of a response a sender may use: never the body (it could echo internal data into logs or events). */
export interface GuardedResponse {
  status: number;
}

/** Why a request did not get a response. */
export class RequestFailedError extends Error {
  constructor(
    /** `TIMEOUT` or `NETWORK`. */
    readonly code: 'TIMEOUT' | 'NETWORK',
    message: string,
  ) {
    super(message);
    this.name = 'RequestFailedError';
  }
}

/**
 * POSTs to a checked target, connecting to the address the guard validated (the name is not resolved again, so a
 * DNS answer that changes after the check cannot redirect the connection), with TLS verified against the host
 * name. Redirects are never followed (Node's http client does not, and 3xx is returned as such). The whole
 * exchange is bounded by `timeoutMs`; the response body is drained and discarded.
 */
export function postToTarget(
  target: ResolvedTarget,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<GuardedResponse> {
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all) {
      (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [
        { address: target.address, family: target.family },
      ]);
    } else callback(null, target.address, target.family);
  };
  const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(
      target.url,
      {
        method: 'POST',
        lookup: pinned,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        timeout: timeoutMs,
        agent: false,
      },
      (response: IncomingMessage) => {
        response.resume();
        response.once('end', () => resolve({ status: response.statusCode ?? 0 }));
        response.once('error', () => resolve({ status: response.statusCode ?? 0 }));
      },
    );
    const timer = setTimeout(
      () => request.destroy(new RequestFailedError('TIMEOUT', `no answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    request.once('close', () => clearTimeout(timer));
    request.once('timeout', () =>
      request.destroy(new RequestFailedError('TIMEOUT', `no answer within ${timeoutMs} ms`)),
    );
    request.once('error', (error) =>
      reject(
        error instanceof RequestFailedError
          ? error
          : new RequestFailedError('NETWORK', (error as NodeJS.ErrnoException).code ?? 'connection failed'),
      ),
    );
    request.end(body);
  });
}
