import { Injectable } from '@nestjs/common';
import { Clock } from '@lienthong/kernel';
import { LookupScheduler, RegistryHealth, VerificationRequests } from '../domain/match.ports';
import { personsOf, type PersonToVerify, VerificationState } from '../domain/verification-request';

/** What the intake events say that matters here. */
export interface IntakeEventFacts {
  dossierCode: string;
  sequence: number;
  eventId: string;
  correlationId: string;
}

/**
 * Turns intake's events into verification rounds: `dossier.submitted` records the persons and queues the first
 * round; `dossier.supplemented` queues another round for the persons not yet matched. Both are safe to repeat
 * (a redelivered event finds the request and the queued job by their business keys).
 */
@Injectable()
export class RecordDossierHandler {
  constructor(
    private readonly requests: VerificationRequests,
    private readonly scheduler: LookupScheduler,
    private readonly clock: Clock,
    private readonly health: RegistryHealth,
  ) {}

  async submitted(
    facts: IntakeEventFacts,
    data: {
      receivingUnitCode: string;
      applicant: Omit<PersonToVerify, 'role'>;
      parties: PersonToVerify[];
      parcels?: readonly { communeCode: string }[];
    },
  ): Promise<void> {
    await this.requests.createIfAbsent({
      dossierCode: facts.dossierCode,
      matchId: facts.dossierCode,
      communeCode: data.receivingUnitCode,
      landCommuneCodes: [...new Set((data.parcels ?? []).map((p) => p.communeCode))],
      // In degraded mode a new dossier is identity pending from the start; it resumes with the registry.
      ...(this.health.degraded()
        ? { state: VerificationState.IdentityPending, pendingSince: this.clock.now().toISOString() }
        : { state: VerificationState.AwaitingRegistry }),
      persons: personsOf(data),
      requestedAt: this.clock.now().toISOString(),
      intakeSequence: facts.sequence,
      round: facts.sequence,
      version: 0,
      correlationId: facts.correlationId,
      causationId: facts.eventId,
    });
    const request = await this.requests.find(facts.dossierCode);
    if (request && request.completedRound !== request.round) {
      await this.scheduler.schedule(facts.dossierCode, request.round);
    }
  }

  /**
   * A backlog dossier (`dossier.imported`): its persons are verified like a submitted dossier's only when the import
   * asked for it (`identityVerification`), since every lookup spends the population registry's quota. Returns
   * whether a verification was requested.
   */
  async imported(
    facts: IntakeEventFacts,
    data: Parameters<RecordDossierHandler['submitted']>[1] & { identityVerification: boolean },
  ): Promise<boolean> {
    if (!data.identityVerification) return false;
    await this.submitted(facts, data);
    return true;
  }

  async supplemented(facts: IntakeEventFacts): Promise<void> {
    await this.requests.startRound(facts.dossierCode, facts.sequence, facts.eventId);
    const request = await this.requests.find(facts.dossierCode);
    if (request && request.completedRound !== request.round) {
      await this.scheduler.schedule(facts.dossierCode, request.round);
    }
  }
}
