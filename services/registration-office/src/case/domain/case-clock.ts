import { ClockLedger, type TimeLimit, type WorkingCalendar } from '@lienthong/statutory-clock';

/** The clock dossier-intake started at receipt, as `dossier.submitted` carries it (`clock`, ADR 0009). */
export interface CarriedClock {
  dueAt: string;
  timeLimit: { unit: string; amount?: number; cutoff?: string };
  remote: boolean;
  procedureVersion: string;
  provinceCode?: string;
}

/**
 * The limit as the ledger stores it. A carried limit that is not one the ledger knows is a contract breach (the
 * schema allows only these units), so it fails loudly rather than starting a wrong clock.
 */
export function timeLimitOf(carried: CarriedClock['timeLimit']): TimeLimit {
  if (carried.unit === 'SAME_WORKING_DAY' && carried.cutoff)
    return { unit: 'SAME_WORKING_DAY', cutoff: carried.cutoff };
  if (
    (carried.unit === 'WORKING_DAY' || carried.unit === 'WORKING_HOUR' || carried.unit === 'CALENDAR_DAY') &&
    carried.amount !== undefined
  ) {
    return { unit: carried.unit, amount: carried.amount };
  }
  throw new RangeError(`not a time limit: ${JSON.stringify(carried)}`);
}

/**
 * Starts the case's ledger (pure). With the clock intake carried, the ledger starts from intake's due date and limit
 * as they are: the due date is computed once, at receipt (ADR 0009). A `dossier.submitted` published before the
 * field existed has none; the LRO then starts from `computed`, the limit the caller resolved with the shared
 * `DossierClockRules` (the same reference data, remote communes included).
 */
export function startCaseClock(input: {
  receivedAt: string;
  carried?: CarriedClock;
  computed: { timeLimit: TimeLimit };
  calendar: WorkingCalendar;
}): ClockLedger {
  const receivedAt = new Date(input.receivedAt);
  if (input.carried) {
    return ClockLedger.start({
      receivedAt,
      timeLimit: timeLimitOf(input.carried.timeLimit),
      calendar: input.calendar,
      baseDueAt: new Date(input.carried.dueAt),
    });
  }
  return ClockLedger.start({ receivedAt, timeLimit: input.computed.timeLimit, calendar: input.calendar });
}
