import { countingStart, dueDate } from './due-date';
import { IllegalClockOperationError } from './errors';
import { toVietnamIso } from './local-time';
import { type CaseTimeLimits, type TimeLimit, applicableTimeLimit } from './time-limit';
import { type WorkingCalendar } from './working-calendar';

/** Why the statutory clock stops (domain.md §1.4, §1.6). */
export const PauseReason = {
  /** Waiting for the citizen to supplement the dossier (Form 02 of Circular 01/2018/TT-VPCP). */
  Supplement: 'SUPPLEMENT',
  /** Determining and paying financial obligations: not counted in the processing time (news.laodong.vn 1495596). */
  FinancialObligation: 'FINANCIAL_OBLIGATION',
  /** Public posting (15 or 30 days) for lost certificates, pre-2024 transfers, first registration: not counted. */
  PublicPosting: 'PUBLIC_POSTING',
} as const;
/** One of `PauseReason`. */
export type PauseReason = (typeof PauseReason)[keyof typeof PauseReason];

/** One stop of the clock; `to` is absent while it lasts. */
export interface PauseInterval {
  readonly reason: PauseReason;
  readonly from: Date;
  readonly to?: Date;
}

/**
 * A new due date agreed with the citizen in an apology letter (form 04 of Circular 01/2018/TT-VPCP, domain.md §1.7):
 * from `at` on, the due date is `dueAt` moved only by the working time paused after `at`.
 */
export interface ClockExtension {
  /** When the letter was issued. */
  readonly at: Date;
  /** The agreed new due date. */
  readonly dueAt: Date;
}

/** The ledger as plain JSON, for storage in an aggregate and in events. Instants are ISO 8601 strings. */
export interface ClockLedgerSnapshot {
  readonly receivedAt: string;
  /** The limit in force when the dossier was received; kept so that later catalogue versions do not change it. */
  readonly timeLimit: TimeLimit;
  readonly pauses: readonly { readonly reason: PauseReason; readonly from: string; readonly to?: string }[];
  /**
   * The due date the ledger started from, when the receiving side computed it (intake, carried in
   * `dossier.submitted`): kept as given, so both sides count from the same instant. Absent: computed from
   * `receivedAt` and `timeLimit`.
   */
  readonly baseDueAt?: string;
  /** Apology extensions in the order they were issued; absent when none. */
  readonly extensions?: readonly { readonly at: string; readonly dueAt: string }[];
}

/**
 * The statutory clock of one dossier as a ledger of intervals (architecture.md §6): the base due date from the
 * receipt and the limit in force then, plus pause intervals. The due date moves by the paused working time (TH-DVC:
 * new due date = old due date + working time since the supplement request, domain.md §1.6); lateness and the
 * remaining time are derived from the ledger at a given instant, never stored. Immutable: `pause` and `resume`
 * return a new ledger.
 */
export class ClockLedger {
  /** When counting started (the receipt, or the next opening after it). */
  readonly countingStartsAt: Date;
  /** The due date before any pause. */
  readonly baseDueAt: Date;

  private constructor(
    private readonly calendar: WorkingCalendar,
    /** When the complete dossier was received. */
    readonly receivedAt: Date,
    /** The single limit that applies (normal or remote already chosen). */
    readonly timeLimit: TimeLimit,
    /** Pauses in the order they started. */
    readonly pauses: readonly PauseInterval[],
    /** Apology extensions in the order they were issued. */
    readonly extensions: readonly ClockExtension[] = [],
    /** The base due date as the receiving side stated it, when it did. */
    private readonly statedBaseDueAt?: Date,
  ) {
    this.countingStartsAt = countingStart(receivedAt, calendar);
    this.baseDueAt = statedBaseDueAt ?? dueDate(receivedAt, timeLimit, { calendar });
  }

  /**
   * Starts the clock of a dossier received complete at `receivedAt`. `baseDueAt` is the due date the receiving
   * side already computed with the same reference data (carried in `dossier.submitted`): the ledger keeps it rather
   * than computing its own, so the two sides can never disagree on where the clock started.
   */
  static start(input: {
    readonly receivedAt: Date;
    readonly timeLimit: TimeLimit | CaseTimeLimits;
    readonly calendar: WorkingCalendar;
    /** True for a remote commune: the case's remote limit applies. */
    readonly remote?: boolean;
    readonly baseDueAt?: Date;
  }): ClockLedger {
    const limit = applicableTimeLimit(input.timeLimit, input.remote);
    return new ClockLedger(input.calendar, input.receivedAt, limit, [], [], input.baseDueAt);
  }

  /** Rebuilds a ledger from its snapshot, checking that its pauses are consistent. */
  static restore(snapshot: ClockLedgerSnapshot, calendar: WorkingCalendar): ClockLedger {
    const stated = snapshot.baseDueAt === undefined ? undefined : new Date(snapshot.baseDueAt);
    let ledger = new ClockLedger(calendar, new Date(snapshot.receivedAt), snapshot.timeLimit, [], [], stated);
    for (const pause of snapshot.pauses) {
      ledger = ledger.pause(pause.reason, new Date(pause.from));
      if (pause.to !== undefined) ledger = ledger.resume(pause.reason, new Date(pause.to));
    }
    const extensions = (snapshot.extensions ?? []).map((e) => ({ at: new Date(e.at), dueAt: new Date(e.dueAt) }));
    return extensions.length === 0 ? ledger : ledger.withExtensions(extensions);
  }

  /**
   * Moves the due date to `dueAt`, agreed with the citizen in an apology letter issued at `at`. Pauses after `at`
   * still move it (a supplement requested after the letter stops the clock as before); pauses before it are
   * already behind the agreed date. The new date must be later than the due date in force at `at`.
   */
  extend(dueAt: Date, at: Date): ClockLedger {
    if (at < this.receivedAt) throw new IllegalClockOperationError('cannot extend before receipt');
    const last = this.extensions.at(-1);
    if (last && at < last.at) throw new IllegalClockOperationError('an extension cannot precede the previous one');
    const current = this.dueAt(at);
    if (dueAt.getTime() <= current.getTime()) {
      throw new IllegalClockOperationError(
        `the new due date ${toVietnamIso(dueAt)} is not after the due date in force ${toVietnamIso(current)}`,
      );
    }
    return this.withExtensions([...this.extensions, { at, dueAt }]);
  }

  /** Stops the clock for `reason` at `at`. A second, different reason may overlap; the same one may not. */
  pause(reason: PauseReason, at: Date): ClockLedger {
    if (at < this.receivedAt) throw new IllegalClockOperationError(`cannot pause before receipt (${reason})`);
    if (this.openPause(reason)) throw new IllegalClockOperationError(`the clock is already paused for ${reason}`);
    const last = this.pauses.filter((p) => p.reason === reason).at(-1);
    if (last?.to && at < last.to) throw new IllegalClockOperationError(`pause for ${reason} overlaps the previous one`);
    return this.with([...this.pauses, { reason, from: at }]);
  }

  /** Restarts the clock paused for `reason` at `at`. */
  resume(reason: PauseReason, at: Date): ClockLedger {
    const open = this.openPause(reason);
    if (!open) throw new IllegalClockOperationError(`the clock is not paused for ${reason}`);
    if (at < open.from) throw new IllegalClockOperationError(`cannot resume ${reason} before it paused`);
    return this.with(this.pauses.map((p) => (p === open ? { ...p, to: at } : p)));
  }

  /** True while any pause is open at `now`. */
  isPaused(now: Date): boolean {
    return this.pauses.some((p) => p.from <= now && (p.to === undefined || p.to > now));
  }

  /**
   * Working minutes during which the clock stood still up to `now` (overlapping pauses counted once); with `since`,
   * only those after it.
   */
  pausedWorkingMinutes(now: Date, since?: Date): number {
    const floor = since?.getTime() ?? Number.NEGATIVE_INFINITY;
    const intervals = this.pauses
      .map((p) => ({
        from: Math.max(p.from.getTime(), floor),
        to: Math.min((p.to ?? now).getTime(), now.getTime()),
      }))
      .filter((i) => i.to > i.from)
      .sort((a, b) => a.from - b.from);
    let total = 0;
    let current: { from: number; to: number } | undefined;
    for (const interval of intervals) {
      if (current && interval.from <= current.to) {
        current.to = Math.max(current.to, interval.to);
        continue;
      }
      if (current) total += this.calendar.workingMinutesBetween(new Date(current.from), new Date(current.to));
      current = { ...interval };
    }
    if (current) total += this.calendar.workingMinutesBetween(new Date(current.from), new Date(current.to));
    return total;
  }

  /**
   * The due date as it stands at `now`: the base due date moved by the working time paused so far; after an apology
   * extension issued by `now`, the agreed date moved by the working time paused since the letter.
   */
  dueAt(now: Date): Date {
    const extension = this.extensions.filter((e) => e.at <= now).at(-1);
    if (extension)
      return this.calendar.addWorkingMinutes(extension.dueAt, this.pausedWorkingMinutes(now, extension.at));
    return this.statutoryDueAt(now);
  }

  /** `dueAt(now)` printed in Vietnam time with its offset, e.g. `2026-12-03T08:15:00+07:00`. */
  dueAtIso(now: Date): string {
    return toVietnamIso(this.dueAt(now));
  }

  /**
   * Whole working minutes left at `now` until the due date (constant while paused); negative once late, counting the
   * working minutes since the due date.
   */
  remainingWorkingMinutes(now: Date): number {
    return Math.floor(this.calendar.workingMinutesBetween(now, this.dueAt(now)));
  }

  /** True when `now` is after the (moved) due date. Derived, never stored. */
  isLate(now: Date): boolean {
    return now.getTime() > this.dueAt(now).getTime();
  }

  /** How many times the clock was stopped for a supplement. */
  get supplementRequestCount(): number {
    return this.pauses.filter((p) => p.reason === PauseReason.Supplement).length;
  }

  /**
   * The statutory due date at `now`: the base due date moved by the paused working time, ignoring apology
   * extensions. An apology letter agrees a new date with the citizen; it does not make the dossier on time.
   */
  statutoryDueAt(now: Date): Date {
    return this.calendar.addWorkingMinutes(this.baseDueAt, this.pausedWorkingMinutes(now));
  }

  /**
   * Whether the national KPI would count the dossier as late at `now`: past the statutory due date (an apology's
   * new date does not count), or more than one supplement request (Decision 766/QĐ-TTg index as quoted in domain.md
   * §1.6 [I]: confirm against the decision's text).
   */
  countsAsLateForKpi(now: Date): boolean {
    return now.getTime() > this.statutoryDueAt(now).getTime() || this.supplementRequestCount > 1;
  }

  /** The ledger as plain JSON. */
  toSnapshot(): ClockLedgerSnapshot {
    return {
      receivedAt: this.receivedAt.toISOString(),
      timeLimit: this.timeLimit,
      pauses: this.pauses.map((p) => ({
        reason: p.reason,
        from: p.from.toISOString(),
        ...(p.to ? { to: p.to.toISOString() } : {}),
      })),
      ...(this.statedBaseDueAt ? { baseDueAt: this.statedBaseDueAt.toISOString() } : {}),
      ...(this.extensions.length > 0
        ? { extensions: this.extensions.map((e) => ({ at: e.at.toISOString(), dueAt: e.dueAt.toISOString() })) }
        : {}),
    };
  }

  private openPause(reason: PauseReason): PauseInterval | undefined {
    return this.pauses.find((p) => p.reason === reason && p.to === undefined);
  }

  private with(pauses: readonly PauseInterval[]): ClockLedger {
    return new ClockLedger(
      this.calendar,
      this.receivedAt,
      this.timeLimit,
      pauses,
      this.extensions,
      this.statedBaseDueAt,
    );
  }

  private withExtensions(extensions: readonly ClockExtension[]): ClockLedger {
    return new ClockLedger(
      this.calendar,
      this.receivedAt,
      this.timeLimit,
      this.pauses,
      extensions,
      this.statedBaseDueAt,
    );
  }
}
