import { Injectable, Logger } from '@nestjs/common';
import { Clock, ValidationError, type FieldError } from '@lienthong/kernel';
import { createEvent, ServiceNames, toOutboxEntries, type OutboxEntry } from '@lienthong/messaging';
import { DossierStatus, receiveDossier, type Dossier, type DossierSubmission } from '../../domain/dossier';
import { dossierCodePattern, receiptDay } from '../../domain/dossier-code';
import { DossierCodeCounter, DossierRepository } from '../../domain/dossier.ports';
import {
  backlogStateProblems,
  importedDossier,
  type DossierImportedData,
  type ImportedPause,
} from '../../domain/imported-dossier';
import { ReferenceLookups, submissionProblems } from '../../domain/submission-rules';
import { DossierEventsRelay } from '../dossier-events-relay';
import type { CallerScope } from '../get-dossier/get-dossier.handler';
import { ReceivingAgencies } from '../receiving-agencies';
import { StatutorySchedule } from '../statutory-schedule';

/**
 * One line of the backlog file, after its shape was checked at the edge: the submission, and the status and clock
 * stops the intake system recorded (RECEIVED and none when the line states none).
 */
export type BacklogLine =
  | {
      line: number;
      dossierCode: string;
      submission: DossierSubmission;
      status?: DossierStatus;
      pauses?: ImportedPause[];
    }
  | { line: number; errors: FieldError[] };

/** How an import treats its dossiers beyond storing them. */
export interface ImportOptions {
  /** Check everything, store nothing. */
  dryRun: boolean;
  /**
   * Ask population-matching to verify the persons of the open dossiers (`identityVerification` of
   * `dossier.imported`): off unless asked, since every lookup spends the population registry's quota.
   */
  verifyIdentities: boolean;
}

/** What an import did, line by line in totals, for reconciliation with the intake system's own records. */
export interface ImportReport {
  dryRun: boolean;
  /** Whether the persons of the open dossiers are to be verified against the population registry. */
  verifyIdentities: boolean;
  lines: number;
  /** Stored now (in a dry run: would be stored). */
  imported: number;
  /** Present before this import (imported earlier): a re-run imports nothing twice. */
  alreadyPresent: number;
  /**
   * Of `imported`, the open ones announced with `dossier.imported` (the LRO opens each as a case); the others are
   * closed and stay history at intake.
   */
  announced: number;
  /** Imported (in a dry run: would be) per front-desk status. */
  byStatus: Partial<Record<DossierStatus, number>>;
  rejected: number;
  /** The first 1,000 rejected lines with their field errors. */
  rejections: { line: number; dossierCode?: string; errors: FieldError[] }[];
  /** Per receiving commune. */
  byReceivingUnit: Record<string, { imported: number; alreadyPresent: number; rejected: number }>;
  /** Earliest and latest receipt among the accepted lines. */
  receivedFrom?: string;
  receivedTo?: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
}

const chunkSize = 500;
const maxRejections = 1_000;
const lookupsAtOnce = 25;
// Relays started at once for the dossiers a chunk announced: the outbox sweeper would find them only at its next
// full scan (every minute); a few at a time keep the database free for the import and live traffic.
const relaysAtOnce = 4;

/**
 * Imports dossiers received before go-live, from the intake system's records: each keeps its original code and
 * receipt time, and gets its legal due date reconstructed from the catalogue and calendar in force then. Checked
 * like a submission (scope, reference data, code format and agency); stored by code, so a re-run finds them present
 * and imports nothing twice; the day counters move past the imported numbers, so new codes never collide. A line
 * may state the dossier's status and the stops of its clock so far (`backlogStateProblems`): the due date is moved
 * by the paused working time with the shared ledger. An open dossier is announced with `dossier.imported`, written
 * in the same document as the dossier (its outbox) and relayed like any event, and the LRO opens it as a case; a
 * closed one stays history and announces nothing. Nobody is notified about an imported dossier.
 */
@Injectable()
export class ImportBacklogHandler {
  private readonly logger = new Logger(ImportBacklogHandler.name);
  private readonly toRelay: string[] = [];
  private relaying = 0;

  constructor(
    private readonly dossiers: DossierRepository,
    private readonly counter: DossierCodeCounter,
    private readonly agencies: ReceivingAgencies,
    private readonly schedule: StatutorySchedule,
    private readonly lookups: ReferenceLookups,
    private readonly clock: Clock,
    private readonly relay: DossierEventsRelay,
  ) {}

  async execute(
    lines: AsyncIterable<BacklogLine>,
    scope: CallerScope,
    options: ImportOptions = { dryRun: false, verifyIdentities: false },
  ): Promise<ImportReport> {
    const { dryRun } = options;
    const started = this.clock.now();
    const report: ImportReport = {
      dryRun,
      verifyIdentities: options.verifyIdentities,
      lines: 0,
      imported: 0,
      alreadyPresent: 0,
      announced: 0,
      byStatus: {},
      rejected: 0,
      rejections: [],
      byReceivingUnit: {},
      startedAt: started.toISOString(),
      finishedAt: '',
      durationMs: 0,
    };
    const seen = new Set<string>();
    let chunk: Dossier[] = [];
    let outboxes = new Map<string, OutboxEntry[]>();
    const unit = (commune: string) =>
      (report.byReceivingUnit[commune] ??= { imported: 0, alreadyPresent: 0, rejected: 0 });
    const reject = (line: number, errors: FieldError[], dossierCode?: string, commune?: string) => {
      report.rejected += 1;
      if (commune) unit(commune).rejected += 1;
      if (report.rejections.length < maxRejections)
        report.rejections.push({ line, ...(dossierCode ? { dossierCode } : {}), errors });
    };
    const flush = async () => {
      if (chunk.length === 0) return;
      const batch = chunk;
      const events = outboxes;
      chunk = [];
      outboxes = new Map();
      // A dry run looks the codes up (a few at a time: the database is shared with live traffic); an import inserts
      // the chunk in one bulk write, and the database reports the codes that were present already.
      let present: Set<string>;
      if (dryRun) {
        const found: (Dossier | null)[] = [];
        for (let i = 0; i < batch.length; i += lookupsAtOnce) {
          const slice = batch.slice(i, i + lookupsAtOnce);
          found.push(...(await Promise.all(slice.map((d) => this.dossiers.findByCode(d.dossierCode)))));
        }
        present = new Set(batch.filter((_, i) => found[i]).map((d) => d.dossierCode));
      } else {
        present = new Set((await this.dossiers.insertMany(batch, events)).present);
        await this.raiseCounters(batch);
        this.announce(batch.map((d) => d.dossierCode).filter((code) => events.has(code) && !present.has(code)));
      }
      for (const d of batch) {
        if (present.has(d.dossierCode)) {
          report.alreadyPresent += 1;
          unit(d.receivingUnitCode).alreadyPresent += 1;
        } else {
          report.imported += 1;
          unit(d.receivingUnitCode).imported += 1;
          report.byStatus[d.status] = (report.byStatus[d.status] ?? 0) + 1;
          if (events.has(d.dossierCode)) report.announced += 1;
        }
        if (!report.receivedFrom || Date.parse(d.receivedAt) < Date.parse(report.receivedFrom))
          report.receivedFrom = d.receivedAt;
        if (!report.receivedTo || Date.parse(d.receivedAt) > Date.parse(report.receivedTo))
          report.receivedTo = d.receivedAt;
      }
    };

    for await (const item of lines) {
      report.lines += 1;
      if ('errors' in item) {
        reject(item.line, item.errors);
        continue;
      }
      const { dossierCode, submission } = item;
      const status = item.status ?? DossierStatus.Received;
      const pauses = item.pauses ?? [];
      const commune = submission.receivingUnitCode;
      const errors = this.problems(dossierCode, submission, scope);
      errors.push(...backlogStateProblems(status, pauses, submission.receivedAt, this.clock.now()));
      if (seen.has(dossierCode)) {
        errors.push({
          field: 'dossierCode',
          code: 'DUPLICATE_IN_FILE',
          message: 'the same dossier code appears earlier in the file',
        });
      }
      if (errors.length > 0) {
        reject(item.line, errors, dossierCode, scope.communes.includes(commune) ? commune : undefined);
        continue;
      }
      seen.add(dossierCode);
      const { dossier, outbox } = this.imported(dossierCode, submission, scope.clientId, status, pauses, options);
      chunk.push(dossier);
      if (outbox.length > 0) outboxes.set(dossierCode, outbox);
      if (chunk.length >= chunkSize) await flush();
    }
    await flush();
    const finished = this.clock.now();
    report.finishedAt = finished.toISOString();
    report.durationMs = finished.getTime() - started.getTime();
    return report;
  }

  private problems(dossierCode: string, submission: DossierSubmission, scope: CallerScope): FieldError[] {
    if (!scope.communes.includes(submission.receivingUnitCode)) {
      return [
        {
          field: 'receivingUnitCode',
          code: 'NOT_FOUND',
          message: `receiving unit ${submission.receivingUnitCode} was not found`,
        },
      ];
    }
    const today = receiptDay(this.clock.now());
    const errors = submissionProblems(
      submission,
      this.lookups,
      `20${today.slice(0, 2)}-${today.slice(2, 4)}-${today.slice(4)}`,
    );
    const agencyId = this.agencies.agencyFor(submission.receivingUnitCode);
    if (!agencyId) {
      errors.push({
        field: 'receivingUnitCode',
        code: 'UNKNOWN_RECEIVING_UNIT',
        message: 'not a receiving unit of this deployment',
      });
    } else if (!dossierCodePattern.test(dossierCode) || !dossierCode.startsWith(`${agencyId}-`)) {
      errors.push({
        field: 'dossierCode',
        code: 'INVALID_DOSSIER_CODE',
        message: `dossierCode must be ${agencyId}-{yyMMdd}-{NNNN}`,
      });
    } else if (dossierCode.split('-').at(-2) !== receiptDay(new Date(submission.receivedAt))) {
      errors.push({
        field: 'dossierCode',
        code: 'DOSSIER_CODE_DAY_MISMATCH',
        message: 'the day in dossierCode is not the receipt day',
      });
    }
    if (Date.parse(submission.receivedAt) > this.clock.now().getTime()) {
      errors.push({ field: 'receivedAt', code: 'IN_THE_FUTURE', message: 'receivedAt must not be in the future' });
    }
    if (errors.length === 0) {
      try {
        this.assess(submission);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        errors.push(...error.errors);
      }
    }
    return errors;
  }

  private assess(submission: DossierSubmission) {
    return this.schedule.assess({
      procedureCode: submission.procedureCode,
      caseCode: submission.caseCode,
      communeCode: submission.receivingUnitCode,
      // The land's communes, as at submission: the remote limit is the land's (ADR 0009).
      parcelCommuneCodes: submission.parcels.map((p) => p.communeCode),
      receivedAt: new Date(submission.receivedAt),
    });
  }

  /**
   * The dossier as received then (original code and receipt, due date reconstructed from the catalogue and calendar
   * in force then), moved to its imported status with its pauses; an open one with its `dossier.imported` event.
   */
  private imported(
    dossierCode: string,
    submission: DossierSubmission,
    clientId: string,
    status: DossierStatus,
    pauses: readonly ImportedPause[],
    options: ImportOptions,
  ): { dossier: Dossier; outbox: OutboxEntry[] } {
    const now = this.clock.now();
    const receivedAt = new Date(submission.receivedAt);
    const assessment = this.assess(submission);
    const { dossier: received, events } = receiveDossier(submission, dossierCode, clientId, receivedAt, assessment);
    const [first] = events;
    // receiveDossier's first fact is always dossier.submitted: `dossier.imported` carries the same data.
    if (first?.type !== 'dossier.submitted') throw new Error(`no submission data for ${dossierCode}`);
    const submitted = first.data;
    const { dossier, imported } = importedDossier({
      received,
      submitted,
      status,
      pauses,
      // The same ledger as the LRO's, replayed with the province's calendar: both show the same due date.
      dueAt: pauses.length > 0 ? this.schedule.dueAtAfterPauses(assessment, receivedAt, pauses, now) : assessment.dueAt,
      identityVerification: options.verifyIdentities,
      now,
    });
    if (!imported) return { dossier, outbox: [] };
    const envelope = createEvent<DossierImportedData>({
      type: 'dossier.imported',
      source: `/${ServiceNames.DossierIntake}`,
      subject: dossierCode,
      sequence: dossier.version,
      data: imported,
      time: now,
    });
    return { dossier, outbox: toOutboxEntries([envelope]) };
  }

  /**
   * Starts publishing the announced dossiers' events without holding up the import: one queue for the process, a few
   * relays at a time (imports running at once share them).
   */
  private announce(codes: readonly string[]): void {
    this.toRelay.push(...codes);
    while (this.relaying < relaysAtOnce && this.toRelay.length > 0) {
      this.relaying += 1;
      void this.relayQueued().finally(() => (this.relaying -= 1));
    }
  }

  private async relayQueued(): Promise<void> {
    for (let code = this.toRelay.shift(); code !== undefined; code = this.toRelay.shift()) {
      // A failure leaves the event in the outbox: the sweeper publishes it.
      await this.relay.relay(code).catch((e: unknown) => this.logger.warn(`relay of ${code} deferred: ${String(e)}`));
    }
  }

  /** Moves each agency's day counter past the highest imported number of that day. */
  private async raiseCounters(batch: readonly Dossier[]): Promise<void> {
    const highest = new Map<string, number>();
    for (const d of batch) {
      const [, agency, day, number] = /^(.+)-(\d{6})-(\d{4,})$/.exec(d.dossierCode)!;
      const key = `${agency}|${day}`;
      highest.set(key, Math.max(highest.get(key) ?? 0, Number(number)));
    }
    for (const [key, sequence] of highest) {
      const [agency, day] = key.split('|') as [string, string];
      await this.counter.atLeast(agency, day, sequence);
    }
  }
}
