import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@lienthong/kernel';
import { ServiceNames, type EventEnvelope } from '@lienthong/messaging';
import type { MatchVerdict } from '../../domain/case';
import { CaseStore } from '../case-store';

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
  constructor(private readonly store: CaseStore) {}

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
      // population-matching reads dossier.submitted too and may answer before this service opened the case: a plain
      // error is retried in place with backoff (then dead-lettered, replayable), a verdict is never dropped.
      if (error instanceof NotFoundError) throw new Error(`case ${event.subject} is not received yet`);
      throw error;
    }
  }
}
