import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ReconcileDeliveriesHandler } from '../../application/reconcile-deliveries/reconcile-deliveries.handler';

/** How often the queue is rebuilt from the database, and how far back it looks. */
export interface ReconcileSettings {
  /** 0 turns it off. The first run is one interval after start, so restarts do not each rescan. */
  intervalMs: number;
  windowMs: number;
}

/** DI token of the reconcile settings. */
export const RECONCILE_SETTINGS = Symbol('RECONCILE_SETTINGS');

/** Runs the reconciler periodically, never two at once; errors are logged and the next run tries again. */
@Injectable()
export class ReconcileDeliveriesSchedule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReconcileDeliveriesSchedule.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly handler: ReconcileDeliveriesHandler,
    @Inject(RECONCILE_SETTINGS) private readonly settings: ReconcileSettings,
  ) {}

  onApplicationBootstrap(): void {
    if (this.settings.intervalMs <= 0) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.handler
        .execute(new Date(Date.now() - this.settings.windowMs))
        .then((queued) => {
          if (queued > 0) this.logger.log(`re-queued ${queued} unsettled deliveries`);
        })
        .catch((error: unknown) => this.logger.warn(`reconcile failed: ${String(error)}`))
        .finally(() => (this.running = undefined));
    }, this.settings.intervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
