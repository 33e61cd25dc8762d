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
 * followed (a 3xx is refused: it could point anywhere). The body is handed over as a stream once the answer is 200
 * with no more than the declared size announced; the whole fetch, connection to last byte, is bounded in time.
 */
export class HttpDocumentSource extends DocumentSource {
  constructor(
    private readonly policy: DocumentUrlPolicy,
    private readonly resolve: Resolver = systemResolver,
  ) {
    super();
  }

  override async open(rawUrl: string, expected: { sha256: string; sizeBytes: number }): Promise<NodeJS.ReadableStream> {
    const { url, address, family } = await this.check(rawUrl);
    return this.download(url, address, family, expected.sizeBytes);
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

  private download(url: URL, address: string, family: 4 | 6, declaredBytes: number): Promise<IncomingMessage> {
    const pinned: LookupFunction = (_hostname, options, callback) => {
      if ((options as { all?: boolean }).all) {
        (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [
          { address, family },
        ]);
      } else callback(null, address, family);
    };
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const { timeoutMs } = this.policy;
    return new Promise<IncomingMessage>((resolve, reject) => {
      let answered: IncomingMessage | undefined;
      let done = false;
      // Before the answer: the promise fails. After it: the body stream fails (the store reading it stops).
      const fail = (error: DocumentFetchError) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        if (answered) answered.destroy(error);
        else {
          request.destroy();
          reject(error);
        }
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
          const announced = Number(response.headers['content-length']);
          if (Number.isFinite(announced) && announced > declaredBytes) {
            return fail(
              new DocumentFetchError(
                'URL_TOO_LARGE',
                `the file at the URL is larger than the declared ${declaredBytes} bytes`,
              ),
            );
          }
          if (Number.isFinite(announced) && announced < declaredBytes) {
            return fail(
              new DocumentFetchError(
                'SIZE_MISMATCH',
                `the file at the URL has ${announced} bytes, not the declared ${declaredBytes}`,
              ),
            );
          }
          answered = response;
          response.once('end', () => {
            done = true;
            clearTimeout(timer);
          });
          response.once('error', (error) => {
            if (!(error instanceof DocumentFetchError))
              fail(new DocumentFetchError('URL_FETCH_FAILED', 'the download broke off'));
          });
          resolve(response);
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
