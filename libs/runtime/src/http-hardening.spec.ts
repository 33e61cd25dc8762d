import { forbiddenKeyPaths } from './http-hardening';

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
