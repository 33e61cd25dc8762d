/**
 * A dossier received before go-live, imported from the intake system's records with its current status and the
 * stops of its statutory clock so far (backlog import, issue 13). Pure TypeScript.
 */
import type { FieldError } from '@lienthong/kernel';
import {
  DossierStatus,
  portalStatusCode,
  type Dossier,
  type DossierSubmittedData,
  type HistoryEntry,
  type PausedInterval,
  type SubmittedClock,
} from './dossier';

/** Why the clock stood still (the reasons of `@lienthong/statutory-clock`'s ledger). */
export const ImportedPauseReason = {
  Supplement: 'SUPPLEMENT',
  FinancialObligation: 'FINANCIAL_OBLIGATION',
  PublicPosting: 'PUBLIC_POSTING',
} as const;
export type ImportedPauseReason = (typeof ImportedPauseReason)[keyof typeof ImportedPauseReason];

/** One stop of the clock as the intake system recorded it; `to` absent while it lasts. */
export interface ImportedPause {
  reason: ImportedPauseReason;
  /** RFC 3339 with offset. */
  from: string;
  to?: string;
}

/**
 * Statuses an imported dossier may be in while the LRO still works on it: announced with `dossier.imported`, and the
 * LRO opens a case (RECEIVED: the desk had not passed it on yet; it goes to the LRO now like any received dossier).
 */
export const openImportStatuses: readonly DossierStatus[] = [
  DossierStatus.Received,
  DossierStatus.InProgress,
  DossierStatus.SupplementRequested,
  DossierStatus.AwaitingFinancialObligation,
];

/**
 * Statuses that end the LRO's work: kept as history at intake, announced to nobody. PROCESSED is here too: the
 * result is ready at the desk, which hands it over without the LRO.
 */
export const closedImportStatuses: readonly DossierStatus[] = [
  DossierStatus.RejectedAtIntake,
  DossierStatus.Stopped,
  DossierStatus.Processed,
  DossierStatus.ResultReturned,
];

/** The paused state each reason shows in `pausedIntervals`, as the LRO names its paused states. */
export const pausedStateOf: Readonly<Record<ImportedPauseReason, string>> = {
  SUPPLEMENT: 'SUPPLEMENT_REQUESTED',
  FINANCIAL_OBLIGATION: 'AWAITING_FINANCIAL_OBLIGATION',
  PUBLIC_POSTING: 'PUBLIC_POSTING',
};

/** The open pause each open status requires (`required`) or allows; RECEIVED allows none. */
const openPauseRule: Partial<Record<DossierStatus, { reason: ImportedPauseReason; required: boolean }>> = {
  [DossierStatus.SupplementRequested]: { reason: ImportedPauseReason.Supplement, required: true },
  [DossierStatus.AwaitingFinancialObligation]: { reason: ImportedPauseReason.FinancialObligation, required: true },
  [DossierStatus.InProgress]: { reason: ImportedPauseReason.PublicPosting, required: false },
};

/** True for a status whose dossier the LRO still works on (announced, becomes a case). */
export function isOpenImport(status: DossierStatus): boolean {
  return openImportStatuses.includes(status);
}

/**
 * What is wrong with a line's status and pauses, as field errors (empty when nothing): a status the backlog cannot
 * hold (SUBMITTED: not yet accepted; WITHDRAWAL_REQUESTED: the LRO decides, import it as STOPPED once it did), a
 * pause before the receipt or in the future, one that ends before it starts, pauses that overlap (each stop is one
 * interval of the ledger; two at once would count the same minutes twice in the intake system's own records), an
 * open pause that is not the last or that does not match the status, and a paused status without its open pause.
 */
export function backlogStateProblems(
  status: DossierStatus,
  pauses: readonly ImportedPause[],
  receivedAt: string,
  now: Date,
): FieldError[] {
  const errors: FieldError[] = [];
  if (!isOpenImport(status) && !closedImportStatuses.includes(status)) {
    errors.push({
      field: 'status',
      code: 'STATUS_NOT_IMPORTABLE',
      message: `a backlog dossier cannot be ${status}: import it as received (RECEIVED) or in the status the LRO gave it`,
    });
    return errors;
  }
  if (status === DossierStatus.Received && pauses.length > 0) {
    errors.push({
      field: 'pauses',
      code: 'PAUSES_NOT_ALLOWED',
      message: 'a RECEIVED dossier has not reached the LRO: its clock cannot have stopped',
    });
    return errors;
  }
  const received = Date.parse(receivedAt);
  let previous: { end: number; index: number } | undefined;
  let open: { pause: ImportedPause; index: number } | undefined;
  pauses.forEach((pause, i) => {
    const from = Date.parse(pause.from);
    const to = pause.to === undefined ? undefined : Date.parse(pause.to);
    if (from < received) {
      errors.push({
        field: `pauses[${i}].from`,
        code: 'PAUSE_BEFORE_RECEIPT',
        message: 'a pause cannot start before receivedAt',
      });
    }
    if (from > now.getTime()) {
      errors.push({ field: `pauses[${i}].from`, code: 'IN_THE_FUTURE', message: 'a pause cannot start in the future' });
    }
    if (to !== undefined && to <= from) {
      errors.push({ field: `pauses[${i}].to`, code: 'PAUSE_ENDS_BEFORE_START', message: 'to must be after from' });
    }
    if (to !== undefined && to > now.getTime()) {
      errors.push({ field: `pauses[${i}].to`, code: 'IN_THE_FUTURE', message: 'a pause cannot end in the future' });
    }
    if (previous && from < previous.end) {
      errors.push({
        field: `pauses[${i}]`,
        code: 'PAUSES_OVERLAP',
        message: `the pause overlaps pauses[${previous.index}] (pauses are listed oldest first, one at a time)`,
      });
    }
    if (to === undefined) open ??= { pause, index: i };
    previous = { end: to ?? Number.POSITIVE_INFINITY, index: i };
  });
  const rule = openPauseRule[status];
  if (open && rule?.reason !== open.pause.reason) {
    errors.push({
      field: `pauses[${open.index}].to`,
      code: 'OPEN_PAUSE_STATUS_MISMATCH',
      message: rule
        ? `an open pause of a ${status} dossier must be ${rule.reason}`
        : `a ${status} dossier has no open pause: give every pause its end (to)`,
    });
  } else if (!open && rule?.required) {
    errors.push({
      field: 'pauses',
      code: 'OPEN_PAUSE_REQUIRED',
      message: `a ${status} dossier waits with its clock stopped: its last pause must be an open ${rule.reason} pause`,
    });
  }
  return errors;
}

/** Data of `dossier.imported`: what `dossier.submitted` carries, the status, the pauses and the opt-in. */
export interface DossierImportedData extends Omit<DossierSubmittedData, 'clock'> {
  clientId: string;
  clock: SubmittedClock;
  status: DossierStatus;
  pauses: ImportedPause[];
  identityVerification: boolean;
  importedAt: string;
}

/**
 * The received dossier (as `receiveDossier` built it) moved to its imported status: the due date moved by the
 * paused working time (`dueAt`, computed by the caller with the shared ledger), the pauses as `pausedIntervals`, the
 * open supplement request of a SUPPLEMENT_REQUESTED dossier (so the desk can answer it), and a history of the receipt
 * and, when it differs, the imported status. Open ones get the `dossier.imported` fact (sequence 1, version 1);
 * closed ones announce nothing (version 0).
 */
export function importedDossier(input: {
  received: Dossier;
  submitted: DossierSubmittedData;
  status: DossierStatus;
  pauses: readonly ImportedPause[];
  dueAt: string;
  identityVerification: boolean;
  now: Date;
}): { dossier: Dossier; imported?: DossierImportedData } {
  const { received, submitted, status, now } = input;
  const pauses = [...input.pauses].sort((a, b) => Date.parse(a.from) - Date.parse(b.from));
  const importedAt = now.toISOString();
  const history: HistoryEntry[] = [
    {
      status: DossierStatus.Received,
      portalStatusCode: portalStatusCode[DossierStatus.Received],
      at: new Date(received.receivedAt).toISOString(),
      by: received.clientId,
      note: 'Imported from the intake system’s records (received before go-live)',
    },
  ];
  if (status !== DossierStatus.Received) {
    history.push({
      status,
      portalStatusCode: portalStatusCode[status],
      at: importedAt,
      by: received.clientId,
      note: `Status as recorded by the intake system before go-live, imported`,
    });
  }
  const pausedIntervals: PausedInterval[] = pauses.map((p) => ({
    state: pausedStateOf[p.reason],
    from: p.from,
    ...(p.to ? { to: p.to } : {}),
  }));
  const supplements = pauses.filter((p) => p.reason === ImportedPauseReason.Supplement);
  const openSupplement = status === DossierStatus.SupplementRequested ? supplements.at(-1) : undefined;
  const open = isOpenImport(status);
  const dossier: Dossier = {
    ...received,
    status,
    dueAt: input.dueAt,
    pausedIntervals,
    history,
    ...(openSupplement
      ? {
          supplementRequest: {
            number: supplements.length,
            requestedAt: openSupplement.from,
            reason: 'Requested before go-live (imported from the intake system’s records)',
            missingDocuments: [],
          },
        }
      : {}),
    answeredSupplementRequests: supplements.slice(0, openSupplement ? -1 : undefined).map((_, i) => i + 1),
    // Open: `dossier.imported` is sequence 1. Closed: nothing announced, the first event ever gets sequence 1.
    version: open ? 1 : 0,
  };
  if (!open) return { dossier };
  if (!submitted.clock) throw new Error(`no clock for imported dossier ${received.dossierCode}`);
  const { clock, ...rest } = submitted;
  return {
    dossier,
    imported: {
      ...rest,
      clientId: received.clientId,
      clock,
      status,
      pauses: pauses.map((p) => ({ reason: p.reason, from: p.from, ...(p.to ? { to: p.to } : {}) })),
      identityVerification: input.identityVerification,
      importedAt,
    },
  };
}
