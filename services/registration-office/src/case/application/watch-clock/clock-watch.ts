import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { detectAlerts, type AlertPolicy } from '../../domain/case-alerts';
import { CaseRepository } from '../../domain/case.ports';
import { CaseStore } from '../case-store';

/** Injection token: the thresholds of the clock watch (from the environment). */
export const ALERT_POLICY = Symbol('ALERT_POLICY');
/** Injection token: how often the clock watch runs, in ms; 0 disables the timer (tests call `runOnce`). */
export const CLOCK_WATCH_INTERVAL_MS = Symbol('CLOCK_WATCH_INTERVAL_MS');

// Candidates per round: the oldest due first, so a backlog drains in due order.
const batch = 50;

/**
 * Finds open cases that became due soon or late and fires their alerts (case.due-soon; case.overdue with the
 * apology letter and case.apology-issued). Each fires once per case: the marker is written in the same conditional
 * update as the events, so two service instances or two rounds racing on one case produce one alert.
 */
@Injectable()
export class ClockWatch implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ClockWatch.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly cases: CaseRepository,
    private readonly store: CaseStore,
    @Inject(ALERT_POLICY) private readonly policy: AlertPolicy,
    @Inject(CLOCK_WATCH_INTERVAL_MS) private readonly intervalMs: number,
  ) {}

  onApplicationBootstrap(): void {
    if (this.intervalMs <= 0) return;
    this.timer = setInterval(() => {
      this.runOnce().catch((e: unknown) => this.logger.warn(`clock watch round failed: ${String(e)}`));
    }, this.intervalMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One round; returns how many alerts fired. Rounds do not overlap. */
  runOnce(): Promise<number> {
    this.running ??= this.round().finally(() => (this.running = undefined));
    return this.running;
  }

  private async round(): Promise<number> {
    const now = this.store.clock.now();
    // Stored due dates are exact for running clocks and earlier than the real one for paused cases, so this bound
    // finds every case that can be due soon (a superset; detectAlerts decides on the ledger).
    const bound = new Date(now.getTime() + this.boundMs());
    let fired = 0;
    for (const candidate of await this.cases.dueBefore(bound, batch)) {
      const calendar = this.store.calendarFor(candidate);
      if (!detectAlerts(candidate, now, calendar, this.policy)) continue;
      await this.store.change(candidate.dossierCode, undefined, (kase, at) => {
        const outcome = detectAlerts(kase, at, calendar, this.policy);
        if (outcome) fired += outcome.events.length;
        return outcome;
      });
    }
    return fired;
  }

  // Working minutes map to at most this much calendar time ahead (weekends, Tết): generous, filtered exactly later.
  private boundMs(): number {
    const workingDays = Math.ceil(this.policy.dueSoonWorkingMinutes / 480) + 1;
    return (workingDays * 7 + 14) * 24 * 3_600_000;
  }
}
