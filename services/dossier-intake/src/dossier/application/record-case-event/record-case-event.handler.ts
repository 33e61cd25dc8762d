import { Injectable, Logger } from '@nestjs/common';
import { CaseReceivedType, parseCaseReceivedV1 } from '@lienthong/event-contracts';
import type { EventEnvelope } from '@lienthong/messaging';
import { tagActiveSpan } from '@lienthong/observability';
import { caseReceivedEntry } from '../../domain/dossier';
import { DossierRepository } from '../../domain/dossier.ports';

/** Shows the front desk what the LRO did: applies each case event once, in sequence order. */
@Injectable()
export class RecordCaseEventHandler {
  private readonly logger = new Logger(RecordCaseEventHandler.name);

  constructor(private readonly dossiers: DossierRepository) {}

  async execute(event: EventEnvelope): Promise<void> {
    tagActiveSpan({ dossierCode: event.subject });
    if (event.type !== CaseReceivedType) return;
    const data = parseCaseReceivedV1(event.data);
    const applied = await this.dossiers.applyCaseEvent(
      event.subject,
      event.sequence,
      caseReceivedEntry(data.branchCode ?? 'unassigned', event.time),
    );
    if (!applied) this.logger.debug(`case event ${event.id} for ${event.subject} already applied or unknown dossier`);
  }
}
