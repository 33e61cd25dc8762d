import { waitFor } from './wait-for';

describe('waitFor', () => {
  it('returns the first truthy-enough value', async () => {
    let calls = 0;
    const value = await waitFor(() => (++calls >= 3 ? { calls } : undefined), { intervalMs: 1 });
    expect(value).toEqual({ calls: 3 });
  });

  it('treats 0 and empty string as values, false and undefined as "not yet"', async () => {
    await expect(waitFor(() => 0, { intervalMs: 1 })).resolves.toBe(0);
  });

  it('fails after the deadline with the description and the last error', async () => {
    await expect(
      waitFor(
        () => {
          throw new Error('still down');
        },
        { timeoutMs: 30, intervalMs: 5, description: 'the broker' },
      ),
    ).rejects.toThrow('timed out after 30 ms waiting for the broker: last error: still down');
  });
});
