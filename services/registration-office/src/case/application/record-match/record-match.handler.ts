import { Injectable, Logger } from '@nestjs/common';
import { Clock, NotFoundError } from '@lienthong/kernel';
import { ServiceNames, type EventEnvelope } from '@lienthong/messaging';
import type { MatchVerdict } from '../../domain/case';
import { CaseStore } from '../case-store';

// How long after a verdict was published its case may still be on its way (the same dossier.submitted, read by
// both services).
const earlyVerdictWindowMs = 2 * 60_000;

/** A verdict for one person, identified by role and masked id (events never carry the full number). */
export interface PersonVerdict {
  role: string;
  maskedPersonalId: string;
  verdict: MatchVerdict;
  mismatchedFields?: string[];
}

/**
 * Shows population-matching verdicts on the case (match.completed for all persons, match.resolved for one after a
 * manual review). Applied once, in order, by the match stream's sequence. A person is found by role and masked id.
 */
@Injectable()
export class RecordMatchHandler {
  private readonly logger = new Logger(RecordMatchHandler.name);

  constructor(
    private readonly store: CaseStore,
    private readonly clock: Clock,
  ) {}

  async execute(event: EventEnvelope, verdicts: readonly PersonVerdict[]): Promise<void> {
    try {
      await this.store.change(
        event.subject,
        undefined,
        (kase, now) => {
          if (event.sequence <= kase.matchSequence) return undefined;
          const persons = kase.persons.map((p) => {
            const found = verdicts.find((v) => v.role === p.role && v.maskedPersonalId === p.maskedPersonalId);
            if (!found) return p;
            // A new verdict replaces an override given for the old one.
            const { override: _override, ...rest } = p;
            return {
              ...(found.verdict === p.verdict ? p : rest),
              verdict: found.verdict,
              mismatchedFields: found.mismatchedFields ?? [],
            };
          });
          const summary = verdicts.map((v) => `${v.role} ${v.maskedPersonalId}: ${v.verdict}`).join('; ');
          return {
            kase: { ...kase, persons, matchSequence: event.sequence },
            events: [],
            audit: [
              {
                at: now.toISOString(),
                actor: ServiceNames.PopulationMatching,
                kind: 'EVENT',
                what: event.type,
                reason: summary,
              },
            ],
          };
        },
        { correlationId: event.correlationId, causationId: event.id },
      );
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      // population-matching reads dossier.submitted too and may answer before this service opened the case: a fresh
      // verdict for an unknown case is retried in place with backoff (a plain error; dead-lettered, replayable, once
      // the retries are spent), so it is not dropped. An old one is for a dossier this LRO never received (another
      // province, or history read by a new consumer group): retrying it would only hold the partition up.
      if (this.clock.now().getTime() - Date.parse(event.time) < earlyVerdictWindowMs) {
        throw new Error(`case ${event.subject} is not received yet`);
      }
      this.logger.warn(`${event.type} for unknown case ${event.subject} ignored`);
    }
  }
}
