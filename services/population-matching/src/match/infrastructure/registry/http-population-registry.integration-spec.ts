import { startSandbox, type SandboxProcess } from '@lienthong/testing';
import { RegistryThrottledError, RegistryUnavailableError } from '../../domain/match.ports';
import { HttpPopulationRegistry, retryAfterMs } from './http-population-registry';

// The HTTP adapter against the real sandbox registry: the answer's shape, and each fault mapped to what the queue
// needs (throttled with its Retry-After, unavailable).
describe('HttpPopulationRegistry against the sandbox', () => {
  let sandbox: SandboxProcess;
  let registry: HttpPopulationRegistry;
  const purpose = { purpose: 'adapter-spec', caller: 'test' };

  beforeAll(async () => {
    sandbox = await startSandbox('population-registry', { REGISTRY_QUOTA: '3', REGISTRY_LATENCY_MS: '0' });
    registry = new HttpPopulationRegistry({
      baseUrl: sandbox.url,
      timeoutMs: 1000,
      integrationId: 'it',
      serviceCode: 'it',
    });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  async function faults(body: Record<string, unknown>): Promise<void> {
    await fetch(`${sandbox.url}/admin/faults`, { method: 'PUT', body: JSON.stringify(body) });
  }

  it('finds persons by 12-digit and by old 9-digit number and maps the CongDan record', async () => {
    const person = (await (await fetch(`${sandbox.url}/admin/people/4242`)).json()) as {
      truth: { personalIdNumber: string; legacyIdNumber?: string; family: string; gender: string; dateOfBirth: string };
    };
    let legacy = person;
    for (let i = 4243; !legacy.truth.legacyIdNumber; i += 1) {
      legacy = (await (await fetch(`${sandbox.url}/admin/people/${i}`)).json()) as typeof person;
    }
    const answers = await registry.lookup(
      [
        { requestId: 'a', personalIdNumber: person.truth.personalIdNumber },
        { requestId: 'b', legacyIdNumber: legacy.truth.legacyIdNumber },
        { requestId: 'c', personalIdNumber: '099080001234' },
      ],
      purpose,
    );
    expect(answers.map((a) => [a.requestId, a.records.length])).toEqual([
      ['a', 1],
      ['b', 1],
      ['c', 0],
    ]);
    expect(answers[0]!.records[0]).toMatchObject({
      personalIdNumber: person.truth.personalIdNumber,
      gender: person.truth.gender,
      dateOfBirth: { year: Number(person.truth.dateOfBirth.slice(0, 4)) },
    });
    expect(answers[0]!.records[0]!.name.ho.normalize('NFC')).toBe(person.truth.family);
    expect(answers[1]!.records[0]!.legacyIdNumber).toBe(legacy.truth.legacyIdNumber);
  });

  it('turns 429 into throttled with the Retry-After, and 5xx, resets and timeouts into unavailable', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const query = [{ requestId: 'a', personalIdNumber: '056080001234' }];
    const results = await Promise.allSettled([0, 1, 2, 3].map(() => registry.lookup(query, purpose)));
    const throttled = results.flatMap((r): unknown[] => (r.status === 'rejected' ? [r.reason] : []));
    expect(throttled).toHaveLength(1);
    expect(throttled[0]).toBeInstanceOf(RegistryThrottledError);
    expect((throttled[0] as RegistryThrottledError).retryAfterMs).toBe(1000);

    await faults({ quotaPerWindow: 0, errorRate: 1 });
    await expect(registry.lookup(query, purpose)).rejects.toBeInstanceOf(RegistryUnavailableError);
    await faults({ errorRate: 0, outage: 'reset' });
    await expect(registry.lookup(query, purpose)).rejects.toBeInstanceOf(RegistryUnavailableError);
    await faults({ outage: 'hang' });
    await expect(registry.lookup(query, purpose)).rejects.toThrow(/unreachable/);
    await faults({ outage: false });
    expect(await registry.lookup(query, purpose)).toHaveLength(1);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs(null)).toBe(1000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
  });
});
