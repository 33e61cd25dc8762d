import { Injectable, Logger } from '@nestjs/common';
import { CaseEventType, isEventType, MatchEventType, parseEventData } from '@lienthong/event-contracts';
import type { EventEnvelope } from '@lienthong/messaging';
import { ConflictError } from '@lienthong/kernel';
import { tagActiveSpan } from '@lienthong/observability';
import { applyCaseFact, applyMatchFact, type CaseFact, type MatchFact } from '../../domain/dossier-lifecycle';
import { DossierChanges } from '../change-dossier/dossier-changes';

const caseTypes: readonly string[] = Object.values(CaseEventType);
const matchTypes: readonly string[] = Object.values(MatchEventType);

/**
 * Shows the front desk what the LRO and population matching did: applies each case or match event once, in
 * sequence order, to the dossier (status, history, due date, pauses, open supplement request, match summary), and
 * announces each status change. Events of dossiers this deployment did not receive are acknowledged and skipped.
 */
@Injectable()
export class RecordCaseEventHandler {
  private readonly logger = new Logger(RecordCaseEventHandler.name);

  constructor(private readonly changes: DossierChanges) {}

  async execute(event: EventEnvelope): Promise<void> {
    try {
      await this.record(event);
    } catch (error) {
      // Losing the optimistic-concurrency race repeatedly is transient for a consumer: retry, do not dead-letter.
      if (error instanceof ConflictError) throw new Error(error.message);
      throw error;
    }
  }

  private async record(event: EventEnvelope): Promise<void> {
    tagActiveSpan({ dossierCode: event.subject });
    if (!isEventType(event.type)) return;
    const cause = { correlationId: event.correlationId, causationId: event.id };
    let stored;
    if (caseTypes.includes(event.type)) {
      const fact: CaseFact = {
        type: event.type,
        sequence: event.sequence,
        time: event.time,
        data: parseEventData(event.type, event.data) as CaseFact['data'],
      };
      stored = await this.changes.apply(event.subject, (d) => applyCaseFact(d, fact), { missing: 'ignore', cause });
    } else if (matchTypes.includes(event.type)) {
      const fact: MatchFact = {
        type: event.type,
        sequence: event.sequence,
        time: event.time,
        data: parseEventData(event.type, event.data) as MatchFact['data'],
      };
      stored = await this.changes.apply(event.subject, (d) => applyMatchFact(d, fact), { missing: 'ignore', cause });
    } else {
      return;
    }
    if (!stored) this.logger.debug(`event ${event.id} for unknown dossier ${event.subject} skipped`);
  }
}
