/** A BullMQ worker or queue: both close gracefully or disconnect at once. */
export interface ClosableOnRedis {
  close(): Promise<void>;
  disconnect(): Promise<void>;
}

/**
 * Closes `resource` gracefully (a worker finishes its running jobs), but waits at most `ms`: with Redis unreachable,
 * BullMQ's close() waits for a connection that never comes, and the process would miss its shutdown deadline. After
 * `ms` the connections are dropped instead; a job cut off that way is taken over after its lock expires (stalled).
 */
export async function closeWithin(resource: ClosableOnRedis, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const closing = resource.close().then(
    () => 'closed' as const,
    () => 'failed' as const,
  );
  const deadline = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
  const outcome = await Promise.race([closing, deadline]);
  clearTimeout(timer);
  if (outcome === 'closed') return;
  // BullMQ's disconnect() also waits for the connection's initialisation, which never ends while Redis is
  // unreachable: it is started, not awaited.
  resource.disconnect().catch(() => undefined);
}
