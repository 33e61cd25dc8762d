import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '@lienthong/kernel';
import type { DossierSubmittedV1 } from '@lienthong/event-contracts';
import { ServiceNames, toOutboxEntries, type EventEnvelope } from '@lienthong/messaging';
import { tagActiveSpan } from '@lienthong/observability';
import { toVietnamIso } from '@lienthong/statutory-clock';
import { sealAuditEntry } from '../../domain/audit-chain';
import { CaseState, type Case } from '../../domain/case';
import { AttachmentStep, withAttachments } from '../../domain/case-attachments';
import { BranchDirectory } from '../../domain/case-routing';
import { CaseReferenceData, CaseRepository } from '../../domain/case.ports';
import { caseParcelsOf, casePersonsOf, caseReceivedEvent, openCase } from './case-opening';

export { BranchDirectory } from '../../domain/case-routing';

/**
 * Opens the LRO case when a dossier is submitted at a commune, without re-entry. The case and its `case.received`
 * event are one write; a redelivered `dossier.submitted` finds the case already there and changes nothing.
 */
@Injectable()
export class ReceiveCaseHandler {
  private readonly logger = new Logger(ReceiveCaseHandler.name);

  constructor(
    private readonly cases: CaseRepository,
    private readonly branches: BranchDirectory,
    private readonly clock: Clock,
    private readonly reference: CaseReferenceData,
  ) {}

  /** Returns the created case, or undefined when the event was a duplicate. */
  async execute(event: EventEnvelope, data: DossierSubmittedV1): Promise<Case | undefined> {
    tagActiveSpan({
      dossierCode: event.subject,
      procedureCode: data.procedureCode,
      communeCode: data.receivingUnitCode,
    });
    const { routing, rules, ledger } = openCase(event.subject, data, {
      branches: this.branches,
      reference: this.reference,
      logger: this.logger,
    });
    const { branchCode, otherBranchCodes } = routing;
    const nowDate = this.clock.now();
    const now = nowDate.toISOString();
    const kase: Case = {
      dossierCode: event.subject,
      procedureCode: data.procedureCode,
      caseCode: data.caseCode,
      communeCode: data.receivingUnitCode,
      branchCode,
      ...(otherBranchCodes.length > 0 ? { otherBranchCodes } : {}),
      receivedAt: data.receivedAt,
      arrivedAt: now,
      state: CaseState.Received,
      steps: { publicPosting: rules.publicPosting, financialObligation: rules.financialObligation },
      progress: { supplementRequests: 0 },
      clock: ledger.toSnapshot(),
      dueAt: ledger.dueAt(nowDate).toISOString(),
      paused: false,
      open: true,
      documents: [],
      // The dossier's files by reference; the bytes stay in the object store (case-attachments.ts).
      attachments: withAttachments([], data.documents ?? [], { addedWith: AttachmentStep.Submission }, now, (kind) =>
        this.reference.documentKindLabel(kind),
      ),
      alerts: {},
      appliedKeys: [],
      audit: [
        sealAuditEntry(undefined, {
          at: now,
          actor: ServiceNames.RegistrationOffice,
          kind: 'RECEIVED',
          what: event.type,
          toState: CaseState.Received,
        }),
      ],
      persons: casePersonsOf(data),
      parcels: caseParcelsOf(data),
      history: [{ state: CaseState.Received, at: now, by: ServiceNames.RegistrationOffice }],
      version: 1,
      correlationId: event.correlationId,
      intakeSequence: event.sequence,
      matchSequence: 0,
    };
    const received = caseReceivedEvent(kase, event, { receivedAt: now, dueAt: toVietnamIso(ledger.dueAt(nowDate)) });
    const created = await this.cases.createIfAbsent(kase, toOutboxEntries([received]));
    return created ? kase : undefined;
  }
}
