import { Injectable } from '@nestjs/common';
import { Clock, ValidationError, type FieldError } from '@lienthong/kernel';
import {
  DossierStatus,
  portalStatusCode,
  receiveDossier,
  type Dossier,
  type DossierSubmission,
} from '../../domain/dossier';
import { dossierCodePattern, receiptDay } from '../../domain/dossier-code';
import { DossierCodeCounter, DossierRepository } from '../../domain/dossier.ports';
import { ReferenceLookups, submissionProblems } from '../../domain/submission-rules';
import type { CallerScope } from '../get-dossier/get-dossier.handler';
import { ReceivingAgencies } from '../receiving-agencies';
import { StatutorySchedule } from '../statutory-schedule';

/** One line of the backlog file, after its shape was checked at the edge. */
export type BacklogLine =
  { line: number; dossierCode: string; submission: DossierSubmission } | { line: number; errors: FieldError[] };

/** What an import did, line by line in totals, for reconciliation with the intake system's own records. */
export interface ImportReport {
  dryRun: boolean;
  lines: number;
  /** Stored now (in a dry run: would be stored). */
  imported: number;
  /** Present before this import (imported earlier): a re-run imports nothing twice. */
  alreadyPresent: number;
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

/**
 * Imports dossiers received before go-live, from the intake system's records: each keeps its original code and
 * receipt time, and gets its legal due date reconstructed from the catalogue and calendar in force then. Checked
 * like a submission (scope, reference data, code format and agency); stored by code, so a re-run finds them present
 * and imports nothing twice; the day counters move past the imported numbers, so new codes never collide. Imported
 * dossiers announce nothing: the LRO migrates its own cases, and its later case events update them as usual.
 */
@Injectable()
export class ImportBacklogHandler {
  constructor(
    private readonly dossiers: DossierRepository,
    private readonly counter: DossierCodeCounter,
    private readonly agencies: ReceivingAgencies,
    private readonly schedule: StatutorySchedule,
    private readonly lookups: ReferenceLookups,
    private readonly clock: Clock,
  ) {}

  async execute(lines: AsyncIterable<BacklogLine>, scope: CallerScope, dryRun: boolean): Promise<ImportReport> {
    const started = this.clock.now();
    const report: ImportReport = {
      dryRun,
      lines: 0,
      imported: 0,
      alreadyPresent: 0,
      rejected: 0,
      rejections: [],
      byReceivingUnit: {},
      startedAt: started.toISOString(),
      finishedAt: '',
      durationMs: 0,
    };
    const seen = new Set<string>();
    let chunk: Dossier[] = [];
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
      chunk = [];
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
        present = new Set((await this.dossiers.insertMany(batch)).present);
        await this.raiseCounters(batch);
      }
      for (const d of batch) {
        if (present.has(d.dossierCode)) {
          report.alreadyPresent += 1;
          unit(d.receivingUnitCode).alreadyPresent += 1;
        } else {
          report.imported += 1;
          unit(d.receivingUnitCode).imported += 1;
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
      const commune = submission.receivingUnitCode;
      const errors = this.problems(dossierCode, submission, scope);
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
      chunk.push(this.imported(dossierCode, submission, scope.clientId));
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
      receivedAt: new Date(submission.receivedAt),
    });
  }

  /** The dossier as received then: original code and receipt, reconstructed due date, one history entry. */
  private imported(dossierCode: string, submission: DossierSubmission, clientId: string): Dossier {
    const { dossier } = receiveDossier(
      submission,
      dossierCode,
      clientId,
      new Date(submission.receivedAt),
      this.assess(submission),
    );
    return {
      ...dossier,
      history: [
        {
          status: DossierStatus.Received,
          portalStatusCode: portalStatusCode[DossierStatus.Received],
          at: new Date(submission.receivedAt).toISOString(),
          by: clientId,
          note: 'Imported from the intake system’s records (received before go-live)',
        },
      ],
      // Nothing was announced: the first event ever published for it gets sequence 1.
      version: 0,
    };
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
