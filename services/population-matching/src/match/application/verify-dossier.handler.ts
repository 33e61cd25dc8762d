import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock, maskPersonalId } from '@lienthong/kernel';
import { createEvent, ServiceNames, toOutboxEntries } from '@lienthong/messaging';
import { tagActiveSpan } from '@lienthong/observability';
import type { MatchThresholds } from '../domain/matching/person-match';
import type { IdPrefixTable } from '../domain/matching/personal-id';
import { queryFor, verifyPerson } from '../domain/matching/verify-person';
import {
  LookupLog,
  type LookupLogEntry,
  MatchEventsRelay,
  PopulationRegistry,
  RegistryThrottledError,
  RegistryUnavailableError,
  VerificationRequests,
} from '../domain/match.ports';
import { completeRound, type PersonResult, personsToCheck, VerificationState } from '../domain/verification-request';

/** DI tokens of the matching settings. */
export const ID_PREFIXES = Symbol('ID_PREFIXES');
export const MATCH_THRESHOLDS = Symbol('MATCH_THRESHOLDS');
export const LOOKUP_CALLER = Symbol('LOOKUP_CALLER');

export type VerifyOutcome = 'COMPLETED' | 'SKIPPED';

/**
 * One round of a dossier's verification: looks its persons up in one batch request, judges each, and stores the
 * verdicts with `match.completed` (and `match.review-required`) in one conditional write, then publishes them.
 * Registry failures are rethrown for the queue to retry (after marking the dossier identity pending); every attempt is
 * written to the lookup log with its purpose and caller.
 */
@Injectable()
export class VerifyDossierHandler {
  private readonly logger = new Logger(VerifyDossierHandler.name);

  constructor(
    private readonly requests: VerificationRequests,
    private readonly registry: PopulationRegistry,
    private readonly log: LookupLog,
    private readonly relay: MatchEventsRelay,
    private readonly clock: Clock,
    @Inject(ID_PREFIXES) private readonly prefixes: IdPrefixTable,
    @Inject(MATCH_THRESHOLDS) private readonly thresholds: MatchThresholds,
    @Inject(LOOKUP_CALLER) private readonly caller: string,
  ) {}

  async verify(dossierCode: string, round: number): Promise<VerifyOutcome> {
    const request = await this.requests.find(dossierCode);
    // A newer round supersedes this one; a completed round is not done twice (a redelivered job).
    if (!request || request.round !== round || request.completedRound === round) return 'SKIPPED';
    tagActiveSpan({ dossierCode });
    const indexes = personsToCheck(request).slice(0, this.registry.maxBatch);
    const results = new Map<number, PersonResult>();
    if (indexes.length > 0) {
      const persons = indexes.map((i) => request.persons[i]!);
      const queries = persons.map((p, k) => queryFor(p, String(k)));
      const started = this.clock.now();
      const entry = (outcome: LookupLogEntry['outcome']): LookupLogEntry => ({
        purpose: dossierCode,
        caller: this.caller,
        at: started.toISOString(),
        durationMs: this.clock.now().getTime() - started.getTime(),
        persons: persons.length,
        maskedIds: persons.map((p) => maskPersonalId(p.personalIdNumber)),
        outcome,
      });
      let answers;
      try {
        answers = await this.registry.lookup(queries, { purpose: dossierCode, caller: this.caller });
      } catch (error) {
        const throttled = error instanceof RegistryThrottledError;
        const unavailable = error instanceof RegistryUnavailableError;
        await this.log.record(entry(throttled ? 'THROTTLED' : unavailable ? 'UNAVAILABLE' : 'REJECTED'));
        if (unavailable && request.state !== VerificationState.IdentityPending) {
          await this.requests.markPending(dossierCode, round, this.clock.now());
        }
        throw error;
      }
      await this.log.record(entry('ANSWERED'));
      const checkedAt = this.clock.now().toISOString();
      indexes.forEach((personIndex, k) => {
        const records = answers.find((a) => a.requestId === String(k))?.records ?? [];
        const verdict = verifyPerson(persons[k]!, records, this.prefixes, this.thresholds);
        results.set(personIndex, { ...verdict, checkedAt });
      });
    }
    const { request: next, events } = completeRound(request, results, this.clock.now());
    const envelopes = events.map((event, k) =>
      createEvent({
        type: event.type,
        source: `/${ServiceNames.PopulationMatching}`,
        subject: dossierCode,
        sequence: request.version + k + 1,
        data: event.data,
        correlationId: request.correlationId,
        causationId: request.causationId,
      }),
    );
    if (!(await this.requests.save(next, request.version, toOutboxEntries(envelopes)))) {
      // Somebody else wrote the request meanwhile (a newer round, a resolution): that writer's job takes over.
      this.logger.warn(`verification of ${dossierCode} round ${round} lost a concurrent write; skipped`);
      return 'SKIPPED';
    }
    await this.relay.relay(dossierCode).catch((e: unknown) => {
      this.logger.warn(`relay of ${dossierCode} deferred to the sweeper: ${String(e)}`);
    });
    return 'COMPLETED';
  }
}
