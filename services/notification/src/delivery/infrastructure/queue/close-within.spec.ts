import { closeWithin } from './close-within';

describe('closeWithin', () => {
  it('closes gracefully when the close completes in time, without disconnecting', async () => {
    const calls: string[] = [];
    await closeWithin(
      {
        close: () => Promise.resolve(void calls.push('close')),
        disconnect: () => Promise.resolve(void calls.push('disconnect')),
      },
      1_000,
    );
    expect(calls).toEqual(['close']);
  });

  it('drops the connections when the close does not complete in time, as with Redis unreachable', async () => {
    const calls: string[] = [];
    await closeWithin(
      {
        close: () => new Promise<void>(() => void calls.push('close')),
        disconnect: () => Promise.resolve(void calls.push('disconnect')),
      },
      50,
    );
    expect(calls).toEqual(['close', 'disconnect']);
  });

  it('drops the connections when the close fails', async () => {
    const calls: string[] = [];
    await closeWithin(
      {
        close: () => Promise.reject(new Error('connection lost')),
        disconnect: () => Promise.resolve(void calls.push('disconnect')),
      },
      1_000,
    );
    expect(calls).toEqual(['disconnect']);
  });
});
