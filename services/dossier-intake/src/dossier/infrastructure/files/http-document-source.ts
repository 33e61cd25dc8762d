import { createHash } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isForbiddenAddress, systemResolver, type Resolver } from '@lienthong/kernel';
import { DocumentFetchError, DocumentSource } from '../../application/document-source';

export interface DocumentUrlPolicy {
  /** `host` or `host:port` entries (lower case) a URL's host must equal. */
  allowedHosts: ReadonlySet<string>;
  /** Development only: plain http to 127.0.0.1 (a local test server); never true in production. */
  allowLoopbackHttp: boolean;
  /** Bound on one fetch, connection to last byte. */
  timeoutMs: number;
}

/**
 * Fetches document URLs with a guard against server-side request forgery: the URL's host must be on the
 * allow-list; https only (http only to 127.0.0.1 in development); no credentials in the URL; every address the name
 * resolves to must be public (loopback only in development, for 127.0.0.1), and the connection goes to the address
 * that was checked (the name is not resolved again, so a changed DNS answer cannot redirect it). Redirects are not
 * followed (a 3xx is refused: it could point anywhere). The body is read only up to the declared size, then hashed.
 */
export class HttpDocumentSource extends DocumentSource {
  constructor(
    private readonly policy: DocumentUrlPolicy,
    private readonly resolve: Resolver = systemResolver,
  ) {
    super();
  }

  override async fetch(rawUrl: string, expected: { sha256: string; sizeBytes: number }): Promise<Buffer> {
    const { url, address, family } = await this.check(rawUrl);
    const bytes = await this.download(url, address, family, expected.sizeBytes);
    if (bytes.length !== expected.sizeBytes) {
      throw new DocumentFetchError(
        'SIZE_MISMATCH',
        `the file at the URL has ${bytes.length} bytes, not the declared ${expected.sizeBytes}`,
      );
    }
    if (createHash('sha256').update(bytes).digest('hex') !== expected.sha256) {
      throw new DocumentFetchError(
        'SHA256_MISMATCH',
        'the SHA-256 of the file at the URL differs from the declared one',
      );
    }
    return bytes;
  }

  private async check(rawUrl: string): Promise<{ url: URL; address: string; family: 4 | 6 }> {
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      throw new DocumentFetchError('URL_INVALID', 'url is not a valid URL');
    }
    if (url.username || url.password) {
      throw new DocumentFetchError('URL_CREDENTIALS', 'url must not carry credentials');
    }
    const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    const loopbackHttp = this.policy.allowLoopbackHttp && host === '127.0.0.1';
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopbackHttp)) {
      throw new DocumentFetchError('URL_SCHEME_NOT_ALLOWED', 'url must use https');
    }
    // The URL parser has already turned shortened, decimal, octal and hex IPv4 forms into dotted quads.
    if (!this.policy.allowedHosts.has(url.host.toLowerCase()) && !this.policy.allowedHosts.has(host.toLowerCase())) {
      throw new DocumentFetchError('URL_HOST_NOT_ALLOWED', `host ${host} is not on the service's document host list`);
    }
    let addresses: { address: string; family: number }[];
    if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
    else {
      try {
        addresses = await this.resolve(host);
      } catch {
        addresses = [];
      }
    }
    if (addresses.length === 0) throw new DocumentFetchError('URL_UNRESOLVABLE', `host ${host} does not resolve`);
    // Every address must pass, not just the first: a name with one public and one internal address is refused.
    const refused = addresses.some(
      (a) => isForbiddenAddress(a.address) && !(loopbackHttp && a.address === '127.0.0.1'),
    );
    if (refused) {
      throw new DocumentFetchError('URL_ADDRESS_FORBIDDEN', `host ${host} is a private, loopback or reserved address`);
    }
    const chosen = addresses.find((a) => a.family === 4) ?? addresses[0]!;
    return { url, address: chosen.address, family: chosen.family === 6 ? 6 : 4 };
  }

  private download(url: URL, address: string, family: 4 | 6, maxBytes: number): Promise<Buffer> {
    const pinned: LookupFunction = (_hostname, options, callback) => {
      if ((options as { all?: boolean }).all) {
        (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [
          { address, family },
        ]);
      } else callback(null, address, family);
    };
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const { timeoutMs } = this.policy;
    return new Promise<Buffer>((resolve, reject) => {
      let settled = false;
      const fail = (error: DocumentFetchError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        request.destroy();
        reject(error);
      };
      const request = send(
        url,
        { method: 'GET', lookup: pinned, agent: false, headers: { accept: '*/*' }, timeout: timeoutMs },
        (response: IncomingMessage) => {
          const status = response.statusCode ?? 0;
          if (status >= 300 && status < 400) {
            response.resume();
            return fail(
              new DocumentFetchError(
                'URL_REDIRECT_NOT_FOLLOWED',
                `the host answered ${status}; redirects are not followed`,
              ),
            );
          }
          if (status !== 200) {
            response.resume();
            return fail(new DocumentFetchError('URL_FETCH_FAILED', `the host answered ${status}`));
          }
          const declared = Number(response.headers['content-length']);
          if (Number.isFinite(declared) && declared > maxBytes) {
            return fail(
              new DocumentFetchError(
                'URL_TOO_LARGE',
                `the file at the URL is larger than the declared ${maxBytes} bytes`,
              ),
            );
          }
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > maxBytes) {
              fail(
                new DocumentFetchError(
                  'URL_TOO_LARGE',
                  `the file at the URL is larger than the declared ${maxBytes} bytes`,
                ),
              );
              return;
            }
            chunks.push(chunk);
          });
          response.once('end', () => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            resolve(Buffer.concat(chunks));
          });
          response.once('error', () => fail(new DocumentFetchError('URL_FETCH_FAILED', 'the download broke off')));
        },
      );
      const timer = setTimeout(
        () => fail(new DocumentFetchError('URL_FETCH_TIMEOUT', `the file did not arrive within ${timeoutMs} ms`)),
        timeoutMs,
      );
      request.once('timeout', () =>
        fail(new DocumentFetchError('URL_FETCH_TIMEOUT', `the file did not arrive within ${timeoutMs} ms`)),
      );
      request.once('error', (error: NodeJS.ErrnoException) =>
        fail(
          new DocumentFetchError(
            'URL_FETCH_FAILED',
            `the host could not be reached (${error.code ?? 'connection failed'})`,
          ),
        ),
      );
      request.end();
    });
  }
}
