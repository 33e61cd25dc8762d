import { DocumentFetchError } from '../../application/document-source';
import { isForbiddenAddress, type Resolver } from '@lienthong/kernel';
import { HttpDocumentSource } from './http-document-source';

// The guard against server-side request forgery, before any connection: every case below is refused without
// reaching the network (the resolver is the test's; no address it returns is ever connected to).

const expected = { sha256: 'a'.repeat(64), sizeBytes: 10 };

function source(
  allowed: string[],
  names: Record<string, string[]> = {},
  allowLoopbackHttp = false,
): HttpDocumentSource {
  const resolve: Resolver = (hostname) =>
    names[hostname]
      ? Promise.resolve(names[hostname].map((address) => ({ address, family: address.includes(':') ? 6 : 4 })))
      : Promise.reject(new Error('ENOTFOUND'));
  return new HttpDocumentSource({ allowedHosts: new Set(allowed), allowLoopbackHttp, timeoutMs: 200 }, resolve);
}

async function refusal(documents: HttpDocumentSource, url: string): Promise<string> {
  const error = await documents.open(url, expected).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DocumentFetchError);
  return (error as DocumentFetchError).code;
}

describe('HttpDocumentSource refuses before connecting', () => {
  it.each([
    [
      'an allowed name that resolves to a private address',
      ['files.example.vn'],
      { 'files.example.vn': ['10.0.0.5'] },
      'https://files.example.vn/a.pdf',
      'URL_ADDRESS_FORBIDDEN',
    ],
    [
      'an allowed name with one public and one internal address',
      ['files.example.vn'],
      { 'files.example.vn': ['203.162.4.190', '192.168.1.10'] },
      'https://files.example.vn/a.pdf',
      'URL_ADDRESS_FORBIDDEN',
    ],
    [
      'cloud metadata, even when listed',
      ['169.254.169.254'],
      {},
      'https://169.254.169.254/latest/meta-data',
      'URL_ADDRESS_FORBIDDEN',
    ],
    [
      'loopback written as a decimal number, outside development',
      ['127.0.0.1'],
      {},
      'https://2130706433/a.pdf',
      'URL_ADDRESS_FORBIDDEN',
    ],
    ['IPv6 loopback', ['[::1]'], {}, 'https://[::1]/a.pdf', 'URL_ADDRESS_FORBIDDEN'],
    [
      'IPv4-mapped IPv6 of a private address',
      ['[::ffff:a00:1]'],
      {},
      'https://[::ffff:10.0.0.1]/a.pdf',
      'URL_ADDRESS_FORBIDDEN',
    ],
    [
      'plain http outside development',
      ['files.example.vn'],
      { 'files.example.vn': ['203.162.4.190'] },
      'http://files.example.vn/a.pdf',
      'URL_SCHEME_NOT_ALLOWED',
    ],
    [
      'http to 127.0.0.1 outside development',
      ['127.0.0.1:8080'],
      {},
      'http://127.0.0.1:8080/a.pdf',
      'URL_SCHEME_NOT_ALLOWED',
    ],
    ['another scheme', ['files.example.vn'], {}, 'file:///etc/passwd', 'URL_SCHEME_NOT_ALLOWED'],
    [
      'a host not on the list',
      ['files.example.vn'],
      { 'evil.example.com': ['203.162.4.190'] },
      'https://evil.example.com/a.pdf',
      'URL_HOST_NOT_ALLOWED',
    ],
    [
      'a subdomain of an allowed host',
      ['example.vn'],
      { 'files.example.vn': ['203.162.4.190'] },
      'https://files.example.vn/a.pdf',
      'URL_HOST_NOT_ALLOWED',
    ],
    [
      'another port of an allowed host:port',
      ['files.example.vn:8443'],
      {},
      'https://files.example.vn:9443/a.pdf',
      'URL_HOST_NOT_ALLOWED',
    ],
    ['credentials in the URL', ['files.example.vn'], {}, 'https://user:pw@files.example.vn/a.pdf', 'URL_CREDENTIALS'],
    ['a name that does not resolve', ['files.example.vn'], {}, 'https://files.example.vn/a.pdf', 'URL_UNRESOLVABLE'],
    ['not a URL', ['files.example.vn'], {}, 'files.example.vn/a.pdf', 'URL_INVALID'],
  ])('%s', async (_name, allowed, names, url, code) => {
    expect(await refusal(source(allowed, names), url)).toBe(code);
  });

  it('allows plain http only to 127.0.0.1 in development, and no other loopback name or private address', async () => {
    const development = source(['localhost:8080', '10.0.0.5', '127.0.0.1:1'], { localhost: ['127.0.0.1'] }, true);
    expect(await refusal(development, 'http://localhost:8080/a.pdf')).toBe('URL_SCHEME_NOT_ALLOWED');
    expect(await refusal(development, 'https://10.0.0.5/a.pdf')).toBe('URL_ADDRESS_FORBIDDEN');
    // Port 1 on loopback refuses the connection: the guard let it through, the fetch itself failed.
    expect(await refusal(development, 'http://127.0.0.1:1/a.pdf')).toBe('URL_FETCH_FAILED');
  });

  it('classifies addresses like the webhook guard', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.0.1',
      '169.254.169.254',
      '::1',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
    ]) {
      expect(isForbiddenAddress(address)).toBe(true);
    }
    for (const address of ['203.162.4.190', '8.8.8.8', '2001:4860:4860::8888']) {
      expect(isForbiddenAddress(address)).toBe(false);
    }
  });
});
