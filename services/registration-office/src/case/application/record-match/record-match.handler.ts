import { Injectable, Logger } from '@nestjs/common';
import { NotFoundError } from '@lienthong/kernel';
import { ServiceNames, type EventEnvelope } from '@lienthong/messaging';
import type { ParkedVerdicts, PersonVerdict } from '../../domain/case';
import { CaseRepository } from '../../domain/case.ports';
import { applyVerdicts } from '../../domain/case-verdicts';
import { CaseStore } from '../case-store';

export type { PersonVerdict } from '../../domain/case';

/**
 * Shows population-matching verdicts on the case (match.completed for all persons, match.resolved for one after a
 * manual review), once, in order, by the match stream's sequence. population-matching reads dossier.submitted too
 * and may answer before this service opened the case (or while it catches up on a backlog): such verdicts are parked
 * and applied when the case opens, so none is lost and the partition is never held up waiting.
 */
@Injectable()
export class RecordMatchHandler {
  private readonly logger = new Logger(RecordMatchHandler.name);

  constructor(
    private readonly store: CaseStore,
    private readonly cases: CaseRepository,
  ) {}

  async execute(event: EventEnvelope, verdicts: readonly PersonVerdict[]): Promise<void> {
    const parked: ParkedVerdicts = {
      sequence: event.sequence,
      type: event.type,
      verdicts: [...verdicts],
      eventId: event.id,
      correlationId: event.correlationId,
    };
    if (await this.apply(event.subject, parked)) return;
    await this.cases.parkVerdicts(event.subject, parked);
    // The case may have opened between the look-up and the parking; its opening looked for parked verdicts before
    // this one was written, so look once more (applying twice is a no-op by sequence).
    if (!(await this.apply(event.subject, parked))) {
      this.logger.debug(`${event.type} for ${event.subject} parked until the case opens`);
    }
  }

  /** Applies the verdicts parked for a case that just opened. */
  async applyParked(dossierCode: string): Promise<void> {
    const parked = (await this.cases.parkedVerdicts(dossierCode)).sort((a, b) => a.sequence - b.sequence);
    for (const entry of parked) await this.apply(dossierCode, entry);
  }

  /** False when there is no case yet. */
  private async apply(dossierCode: string, parked: ParkedVerdicts): Promise<boolean> {
    try {
      await this.store.change(
        dossierCode,
        undefined,
        (kase, now) =>
          applyVerdicts(kase, parked.sequence, parked.type, parked.verdicts, now, ServiceNames.PopulationMatching),
        { correlationId: parked.correlationId, causationId: parked.eventId },
      );
      return true;
    } catch (error) {
      if (error instanceof NotFoundError) return false;
      throw error;
    }
  }
}
