import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { OutboxSweeper, type OutboxRelay } from '@lienthong/messaging';

/** DI token of the service's OutboxRelay. */
export const OUTBOX_RELAY = Symbol('OUTBOX_RELAY');
/** DI token of the sweep interval in ms. */
export const OUTBOX_SWEEP_INTERVAL_MS = Symbol('OUTBOX_SWEEP_INTERVAL_MS');

/**
 * Runs the outbox sweeper for the lifetime of the application: starts after bootstrap, stops (waiting for a sweep in
 * progress) at shutdown, before the connections close.
 */
@Injectable()
export class OutboxSweeperHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly sweeper: OutboxSweeper;

  constructor(@Inject(OUTBOX_RELAY) relay: OutboxRelay, @Inject(OUTBOX_SWEEP_INTERVAL_MS) intervalMs: number) {
    const logger = new Logger('Outbox');
    this.sweeper = new OutboxSweeper(relay, intervalMs, (e) => logger.warn(`sweep failed: ${String(e)}`));
  }

  onApplicationBootstrap(): void {
    this.sweeper.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sweeper.stop();
  }
}
