import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { detectAlerts, type AlertPolicy } from '../../domain/case-alerts';
import { CaseRepository, type CaseCursor } from '../../domain/case.ports';
import { CaseStore } from '../case-store';

/** Injection token: the thresholds of the clock watch (from the environment). */
export const ALERT_POLICY = Symbol('ALERT_POLICY');
/** Injection token: how often the clock watch runs, in ms; 0 disables the timer (tests call `runOnce`). */
export const CLOCK_WATCH_INTERVAL_MS = Symbol('CLOCK_WATCH_INTERVAL_MS');

// Candidates per page, the oldest due first, so a backlog drains in due order; pages per round, so one round stays
// short. Paused cases (their stored due date is earlier than the real one) and cases whose due-soon alert fired stay
// candidates for a long time: the watch pages on from where the previous round stopped, so they never hide the cases
// behind them (a backlog import can bring thousands of paused cases at once).
const batch = 50;
const pagesPerRound = 20;

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
  /** Where the next round starts; undefined: at the oldest due candidate. */
  private cursor: CaseCursor | undefined;

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
    for (let page = 0; page < pagesPerRound; page += 1) {
      const candidates = await this.cases.dueBefore(bound, batch, this.cursor);
      for (const candidate of candidates) {
        const calendar = this.store.calendarFor(candidate);
        if (!detectAlerts(candidate, now, calendar, this.policy)) continue;
        await this.store.change(candidate.dossierCode, undefined, (kase, at) => {
          const outcome = detectAlerts(kase, at, calendar, this.policy);
          if (outcome) fired += outcome.events.length;
          return outcome;
        });
      }
      const last = candidates.at(-1);
      // A short page is the end of the candidates: the next round starts again at the oldest.
      this.cursor =
        candidates.length < batch || !last ? undefined : { dueAt: last.dueAt, dossierCode: last.dossierCode };
      if (!this.cursor) break;
    }
    return fired;
  }

  // Working minutes map to at most this much calendar time ahead (weekends, Tết): generous, filtered exactly later.
  private boundMs(): number {
    const workingDays = Math.ceil(this.policy.dueSoonWorkingMinutes / 480) + 1;
    return (workingDays * 7 + 14) * 24 * 3_600_000;
  }
}
