import { RequestKeys, type KeyClaim } from '../../application/request-keys/request-keys';

/** RequestKeys in memory, for unit tests. */
export class InMemoryRequestKeys extends RequestKeys {
  private readonly keys = new Map<string, { hash: string; done?: { status: number; body: unknown } }>();

  override claim(scope: string, key: string, requestHash: string): Promise<KeyClaim> {
    const held = this.keys.get(`${scope}|${key}`);
    if (!held) {
      this.keys.set(`${scope}|${key}`, { hash: requestHash });
      return Promise.resolve({ state: 'new' });
    }
    if (held.hash !== requestHash) return Promise.resolve({ state: 'mismatch' });
    if (held.done) return Promise.resolve({ state: 'replay', ...structuredClone(held.done) });
    return Promise.resolve({ state: 'in-flight' });
  }

  override complete(scope: string, key: string, status: number, body: unknown): Promise<void> {
    const held = this.keys.get(`${scope}|${key}`);
    if (held) held.done = { status, body: structuredClone(body) };
    return Promise.resolve();
  }

  override release(scope: string, key: string): Promise<void> {
    this.keys.delete(`${scope}|${key}`);
    return Promise.resolve();
  }
}
