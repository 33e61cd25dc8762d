import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '@lienthong/kernel';
import type { DossierImportedV1 } from '@lienthong/event-contracts';
import { ServiceNames, toOutboxEntries, type EventEnvelope } from '@lienthong/messaging';
import { tagActiveSpan } from '@lienthong/observability';
import { toVietnamIso } from '@lienthong/statutory-clock';
import { sealAuditEntry } from '../../domain/audit-chain';
import { portalStatusOf, type Case } from '../../domain/case';
import { AttachmentStep, withAttachments } from '../../domain/case-attachments';
import { BranchDirectory } from '../../domain/case-routing';
import { pausedIntervalsOf } from '../../domain/case-workflow';
import { CaseReferenceData, CaseRepository } from '../../domain/case.ports';
import { importedCaseState, importedLedger, importedProgress } from '../../domain/imported-case';
import { caseParcelsOf, casePersonsOf, caseReceivedEvent, openCase } from './case-opening';

/**
 * Opens the case of an open dossier imported from the backlog (`dossier.imported`): at the branch with jurisdiction
 * over the land (the same routing as a submitted dossier, ADR 0008), in the state matching its front-desk status,
 * with the clock intake reconstructed (base due date) and the recorded pauses replayed, so both show the same due
 * date. Its `case.received` says `imported`: nobody is notified about the opening. One write with its event; a
 * redelivered `dossier.imported` finds the case there and changes nothing.
 */
@Injectable()
export class ReceiveImportedCaseHandler {
  private readonly logger = new Logger(ReceiveImportedCaseHandler.name);

  constructor(
    private readonly cases: CaseRepository,
    private readonly branches: BranchDirectory,
    private readonly clock: Clock,
    private readonly reference: CaseReferenceData,
  ) {}

  /** Returns the created case, or undefined when the event was a duplicate. */
  async execute(event: EventEnvelope, data: DossierImportedV1): Promise<Case | undefined> {
    tagActiveSpan({
      dossierCode: event.subject,
      procedureCode: data.procedureCode,
      communeCode: data.receivingUnitCode,
    });
    const opening = openCase(event.subject, data, {
      branches: this.branches,
      reference: this.reference,
      logger: this.logger,
    });
    const { rules } = opening;
    const { branchCode, otherBranchCodes } = opening.routing;
    const nowDate = this.clock.now();
    const now = nowDate.toISOString();
    const state = importedCaseState(data.status, data.pauses);
    // The recorded pauses replayed on the clock intake reconstructed (base due date).
    const ledger = importedLedger(opening.ledger, data.pauses);
    // Late already at import: the delay happened before go-live, and the system does not send a flood of apology
    // letters (each would reach the citizen) because of the import. The alerts count as fired for this due date, so
    // the clock watch leaves it; the worklist shows it late and a worker may issue the letter (ISSUE_APOLOGY).
    const late = ledger.isLate(nowDate);
    const firedFor = ledger.dueAt(nowDate).toISOString();
    const note = `Imported from the backlog: received ${data.receivedAt}, ${data.status} at the front desk`;
    const kase: Case = {
      dossierCode: event.subject,
      procedureCode: data.procedureCode,
      caseCode: data.caseCode,
      communeCode: data.receivingUnitCode,
      branchCode,
      ...(otherBranchCodes.length > 0 ? { otherBranchCodes } : {}),
      receivedAt: data.receivedAt,
      arrivedAt: now,
      state,
      steps: { publicPosting: rules.publicPosting, financialObligation: rules.financialObligation },
      progress: importedProgress(data.pauses),
      clock: ledger.toSnapshot(),
      dueAt: ledger.dueAt(nowDate).toISOString(),
      paused: ledger.isPaused(nowDate),
      open: true,
      documents: [],
      attachments: withAttachments([], data.documents ?? [], { addedWith: AttachmentStep.Submission }, now, (kind) =>
        this.reference.documentKindLabel(kind),
      ),
      alerts: late ? { dueSoonFor: firedFor, overdueFor: firedFor } : {},
      appliedKeys: [],
      audit: [
        sealAuditEntry(undefined, {
          at: now,
          actor: ServiceNames.RegistrationOffice,
          kind: 'RECEIVED',
          what: event.type,
          toState: state,
          reason: note,
        }),
      ],
      persons: casePersonsOf(data),
      parcels: caseParcelsOf(data),
      history: [{ state, at: now, by: ServiceNames.RegistrationOffice, note }],
      version: 1,
      correlationId: event.correlationId,
      intakeSequence: event.sequence,
      matchSequence: 0,
    };
    const pausedIntervals = pausedIntervalsOf(kase.clock);
    const received = caseReceivedEvent(
      kase,
      event,
      { receivedAt: now, dueAt: toVietnamIso(ledger.dueAt(nowDate)) },
      {
        imported: true,
        state,
        portalStatusCode: portalStatusOf[state],
        ...(pausedIntervals.length > 0 ? { pausedIntervals } : {}),
      },
    );
    const created = await this.cases.createIfAbsent(kase, toOutboxEntries([received]));
    return created ? kase : undefined;
  }
}
