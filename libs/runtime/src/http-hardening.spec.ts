import type { AddressInfo } from 'node:net';
import express from 'express';
import { forbiddenKeyPaths, securityHeaders } from './http-hardening';

describe('forbiddenKeyPaths', () => {
  it('finds __proto__, constructor and prototype keys at any depth, in arrays too, with their paths', () => {
    const body = JSON.parse(
      '{"a":1,"__proto__":{"x":1},"parties":[{"role":"X"},{"constructor":{"prototype":{"y":1}}}],"b":{"c":{"prototype":0}}}',
    ) as unknown;
    expect(forbiddenKeyPaths(body)).toEqual(['__proto__', 'b.c.prototype', 'parties[1].constructor']);
  });

  it('finds nothing in ordinary bodies, primitives and null', () => {
    expect(forbiddenKeyPaths({ procedureCode: '1.013831', parties: [{ fullName: 'constructor' }] })).toEqual([]);
    expect(forbiddenKeyPaths('__proto__')).toEqual([]);
    expect(forbiddenKeyPaths(null)).toEqual([]);
  });

  it('reports at most 20 paths however many a body holds', () => {
    const many = `[${Array.from({ length: 500 }, () => '{"__proto__":1}').join(',')}]`;
    expect(forbiddenKeyPaths(JSON.parse(many) as unknown)).toHaveLength(20);
  });
});

describe('securityHeaders', () => {
  async function headersOf(hsts: boolean, path: string): Promise<Headers> {
    const app = express();
    app.use(securityHeaders({ hsts }));
    app.get(/.*/, (_request, response) => {
      response.send('ok');
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      return (await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`)).headers;
    } finally {
      server.close();
    }
  }

  it('sends Strict-Transport-Security only when configured (behind TLS)', async () => {
    expect((await headersOf(false, '/v1/x')).get('strict-transport-security')).toBeNull();
    expect((await headersOf(true, '/v1/x')).get('strict-transport-security')).toBe(
      'max-age=31536000; includeSubDomains',
    );
  });

  it('relaxes the CSP for the OpenAPI UI only, and only for its inline style and data: images', async () => {
    const api = (await headersOf(false, '/v1/x')).get('content-security-policy')!;
    const docs = (await headersOf(false, '/docs/')).get('content-security-policy')!;
    expect(api).toContain("style-src 'self';");
    expect(docs).toContain("style-src 'self' 'unsafe-inline'");
    expect(docs).toContain("script-src 'self';");
    expect(docs).toContain("frame-ancestors 'none'");
  });
});
