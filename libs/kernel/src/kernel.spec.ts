import { canonicalHash, canonicalJson, FixedClock, isUuid, maskPersonalId, newId, ValidationError } from './index';

describe('newId', () => {
  it('produces RFC 9562 version-7 UUIDs that sort by creation time', () => {
    const earlier = newId(1_700_000_000_000);
    const later = newId(1_700_000_000_001);
    expect(isUuid(earlier)).toBe(true);
    expect(earlier[14]).toBe('7');
    expect(earlier < later).toBe(true);
  });

  it('does not repeat', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => newId()));
    expect(ids.size).toBe(10_000);
  });
});

describe('FixedClock', () => {
  it('stays put until moved', () => {
    const clock = new FixedClock(new Date('2026-11-23T01:15:00Z'));
    clock.advance(60_000);
    expect(clock.now().toISOString()).toBe('2026-11-23T01:16:00.000Z');
  });
});

describe('maskPersonalId', () => {
  it('keeps four leading and two trailing digits', () => {
    expect(maskPersonalId('056080001234')).toBe('0560******34');
    expect(maskPersonalId('123456789')).toBe('1234***89');
  });

  it('masks short values entirely and tolerates absence', () => {
    expect(maskPersonalId('1234')).toBe('****');
    expect(maskPersonalId(undefined)).toBe('');
  });
});

describe('ValidationError', () => {
  it('carries field errors and its class name', () => {
    const error = new ValidationError('bad', [{ field: 'a', code: 'X', message: 'm' }]);
    expect(error.name).toBe('ValidationError');
    expect(error.errors).toHaveLength(1);
  });
});

describe('canonicalJson', () => {
  it('ignores key order and undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 'x'], c: undefined } })).toBe('{"a":{"d":[1,"x"]},"b":1}');
    expect(canonicalHash({ a: 1, b: 2 })).toBe(canonicalHash({ b: 2, a: 1 }));
    expect(canonicalHash({ a: 1 })).not.toBe(canonicalHash({ a: 2 }));
  });
});
