import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { Clock, ConflictError, NotFoundError } from '@lienthong/kernel';
import { createEvent, ServiceNames, toOutboxEntries, type OutboxRelay } from '@lienthong/messaging';
import { tagActiveSpan } from '@lienthong/observability';
import { OUTBOX_RELAY } from '@lienthong/runtime';
import type { WorkingCalendar } from '@lienthong/statutory-clock';
import { appendAudit, type AuditDraft } from '../domain/audit-chain';
import type { Case } from '../domain/case';
import type { Outcome } from '../domain/case-workflow';
import { CaseReferenceData, CaseRepository } from '../domain/case.ports';
import { CaseNames } from './case-names';

/** The tenant scope of a request: the worker's branch (from the verified token only). */
export interface BranchScope {
  branch: string;
}

/** What caused a change, for the events' causation. */
export interface Cause {
  correlationId?: string;
  causationId?: string;
}

// Optimistic writes retry when another write (an action, a view, the clock watch) got in between.
const maxAttempts = 5;

/**
 * The one place cases are read for a worker and written back: every read goes through the branch scope (another
 * branch's case is a 404, architecture §7), and every change is one conditional write of the case with its audit
 * entries and its events (outbox), retried on a concurrent write, then relayed at once.
 */
@Injectable()
export class CaseStore {
  private readonly logger = new Logger(CaseStore.name);

  constructor(
    private readonly cases: CaseRepository,
    private readonly reference: CaseReferenceData,
    readonly clock: Clock,
    @Inject(OUTBOX_RELAY) private readonly relay: OutboxRelay,
    /** Names next to codes for the case views; without it the views show codes and the built-in labels only. */
    @Optional() readonly names?: CaseNames,
  ) {}

  calendarFor(kase: Case): WorkingCalendar {
    return this.reference.calendarFor(kase.communeCode);
  }

  /** Names of a catalogue document kind, for the case's attachments. */
  documentKindLabel(kind: string): { vi: string; en: string } | undefined {
    return this.reference.documentKindLabel(kind);
  }

  /** The case if it belongs to the scope's branch; NotFoundError otherwise (absent and foreign look the same). */
  async load(dossierCode: string, scope?: BranchScope): Promise<Case> {
    tagActiveSpan({ dossierCode });
    const kase = await this.cases.findByCode(dossierCode);
    if (!kase || (scope && kase.branchCode !== scope.branch)) {
      throw new NotFoundError(`Case ${dossierCode} was not found.`);
    }
    return kase;
  }

  /**
   * Loads the case, lets `decide` compute the outcome at "now", and writes it if nobody wrote in between; otherwise
   * reloads and decides again. `decide` returning undefined means nothing to do. Returns the case as written (or as
   * read when nothing changed).
   */
  async change(
    dossierCode: string,
    scope: BranchScope | undefined,
    decide: (kase: Case, now: Date) => Outcome | undefined,
    cause: Cause = {},
  ): Promise<Case> {
    for (let attempt = 1; ; attempt += 1) {
      const kase = await this.load(dossierCode, scope);
      const outcome = decide(kase, this.clock.now());
      if (!outcome) return kase;
      const written = await this.write(kase, outcome, cause);
      if (written) return written;
      if (attempt >= maxAttempts) throw new ConflictError(`Case ${dossierCode} is busy; retry.`, 1);
    }
  }

  /** Writes one outcome computed from `kase`; undefined when the case changed in between. */
  async write(kase: Case, outcome: Outcome, cause: Cause = {}): Promise<Case | undefined> {
    const events = outcome.events.map((draft, i) =>
      createEvent({
        type: draft.type,
        source: `/${ServiceNames.RegistrationOffice}`,
        subject: kase.dossierCode,
        sequence: kase.version + 1 + i,
        correlationId: cause.correlationId ?? kase.correlationId,
        causationId: cause.causationId ?? cause.correlationId ?? kase.correlationId,
        data: draft.data,
      }),
    );
    const audit = appendAudit(kase.audit, outcome.audit);
    const next: Case = {
      ...outcome.kase,
      version: kase.version + Math.max(1, events.length),
      audit: [...kase.audit, ...audit],
    };
    const saved = await this.cases.save(
      next,
      { version: kase.version, auditLength: kase.audit.length },
      audit,
      toOutboxEntries(events),
    );
    if (!saved) return undefined;
    if (events.length > 0) {
      // The change is durable; publishing now only saves the sweeper's delay.
      this.relay.relay(kase.dossierCode).catch((e: unknown) => this.logger.warn(`relay deferred: ${String(e)}`));
    }
    return next;
  }

  /** Appends audit entries alone (a view of personal data), retrying on a concurrent write. */
  async audit(kase: Case, drafts: readonly AuditDraft[]): Promise<void> {
    let current = kase;
    for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
      const entries = appendAudit(current.audit, drafts);
      if (await this.cases.appendAudit(current.dossierCode, current.audit.length, entries)) return;
      current = await this.load(current.dossierCode);
    }
    throw new ConflictError(`Case ${kase.dossierCode} is busy; retry.`, 1);
  }
}
