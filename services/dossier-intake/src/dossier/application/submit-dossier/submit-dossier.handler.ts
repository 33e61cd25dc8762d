import { Injectable, Logger } from '@nestjs/common';
import { canonicalHash, Clock, ConflictError, IdempotencyMismatchError, ValidationError } from '@lienthong/kernel';
import { tagActiveSpan } from '@lienthong/observability';
import { portalStatusCode, receiveDossier, type Dossier } from '../../domain/dossier';
import { dossierCodePattern, formatDossierCode, receiptDay } from '../../domain/dossier-code';
import { DossierCodeCounter, DossierRepository } from '../../domain/dossier.ports';
import { ReferenceLookups, submissionProblems } from '../../domain/submission-rules';
import { dossierEnvelopes } from '../dossier-envelopes';
import { DossierEventsRelay } from '../dossier-events-relay';
import { ReceivingAgencies } from '../receiving-agencies';
import { StatutorySchedule, type DueDateAssessment } from '../statutory-schedule';
import type { SubmitDossierCommand, SubmitDossierResult } from './submit-dossier.command';

/**
 * Validates the parts that need reference data, issues the dossier code, stores the dossier together with its
 * `dossier.submitted` event (one write), then starts publishing the event. The request never waits for or fails on
 * the broker: the dossier is accepted and the outbox sweeper publishes the event when the broker is back.
 */
@Injectable()
export class SubmitDossierHandler {
  private readonly logger = new Logger(SubmitDossierHandler.name);
  /** How long a retry waits for a concurrent first request with the same key before answering 409. */
  reservationWaitMs = 5_000;

  constructor(
    private readonly dossiers: DossierRepository,
    private readonly counter: DossierCodeCounter,
    private readonly agencies: ReceivingAgencies,
    private readonly relay: DossierEventsRelay,
    private readonly schedule: StatutorySchedule,
    private readonly clock: Clock,
    private readonly lookups: ReferenceLookups,
  ) {}

  async execute(command: SubmitDossierCommand): Promise<{ result: SubmitDossierResult; replayed: boolean }> {
    const { clientId, idempotencyKey, submission } = command;
    const requestHash = canonicalHash(submission);

    const earlier = await this.answerFromReservation(command, requestHash);
    if (earlier) return earlier;

    const agencyId = this.validate(submission, command.options);
    const holder = await this.dossiers.claimExternalReference(clientId, submission.externalReference, idempotencyKey);
    if (holder !== idempotencyKey) {
      throw new ConflictError('A dossier with this externalReference already exists for this client.');
    }
    if (!(await this.dossiers.reserve({ clientId, idempotencyKey, requestHash }))) {
      // A concurrent request with the same key got there first: answer as it does once it is done.
      const answer = await this.answerFromReservation(command, requestHash);
      if (answer) return answer;
      throw new ConflictError('A request with this Idempotency-Key is in progress.', 1);
    }
    return { result: await this.create(command, await this.issueCode(command, agencyId)), replayed: false };
  }

  /** The intake system's own code when it gave one (checked in validate), else the next number. */
  private async issueCode(command: SubmitDossierCommand, agencyId: string): Promise<string> {
    if (command.options.dossierCode) {
      return this.dossiers.assignCode(command.clientId, command.idempotencyKey, command.options.dossierCode);
    }
    return this.nextNumber(command, agencyId);
  }

  /** Takes the next number of the agency and day for the reserved key (or the code a takeover already set). */
  private async nextNumber(command: SubmitDossierCommand, agencyId: string): Promise<string> {
    const day = receiptDay(new Date(command.submission.receivedAt));
    const code = formatDossierCode(agencyId, day, await this.counter.next(agencyId, day));
    return this.dossiers.assignCode(command.clientId, command.idempotencyKey, code);
  }

  /**
   * The answer for a key already reserved: a replay once the first request stored its dossier; the same dossier
   * finished under the reserved code when the first one stopped before storing it (or is about to: the insert is
   * idempotent); after a short wait while the first one is still issuing its number; undefined when nothing is
   * reserved or the first request is still busy after the wait (the caller then answers 409 with Retry-After).
   */
  private async answerFromReservation(
    command: SubmitDossierCommand,
    requestHash: string,
  ): Promise<{ result: SubmitDossierResult; replayed: boolean } | undefined> {
    const deadline = Date.now() + this.reservationWaitMs;
    for (;;) {
      const reservation = await this.dossiers.findReservation(command.clientId, command.idempotencyKey);
      if (!reservation) return undefined;
      if (reservation.requestHash !== requestHash) throw mismatch();
      if (reservation.dossierCode) {
        const stored = await this.dossiers.findByCode(reservation.dossierCode);
        if (stored) return { result: toResult(stored), replayed: true };
        return { result: await this.create(command, reservation.dossierCode), replayed: false };
      }
      const age = Date.now() - (reservation.reservedAt?.getTime() ?? Date.now());
      if (age > staleReservationMs) {
        // The first request stopped before it had a number: take over under the same key.
        const agencyId = this.validate(command.submission, command.options);
        return { result: await this.create(command, await this.issueCode(command, agencyId)), replayed: false };
      }
      if (Date.now() >= deadline) throw new ConflictError('A request with this Idempotency-Key is in progress.', 1);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Checks what needs reference data and the clock; returns the receiving agency's id. */
  private validate(submission: SubmitDossierCommand['submission'], options: SubmitDossierCommand['options']): string {
    const today = receiptDay(this.clock.now());
    const problems = submissionProblems(
      submission,
      this.lookups,
      `20${today.slice(0, 2)}-${today.slice(2, 4)}-${today.slice(4)}`,
      { partiesComplete: options.partiesComplete ?? true },
    );
    const agencyId = this.agencies.agencyFor(submission.receivingUnitCode);
    if (!agencyId && !problems.some((p) => p.field === 'receivingUnitCode')) {
      problems.push({
        field: 'receivingUnitCode',
        code: 'UNKNOWN_RECEIVING_UNIT',
        message: `commune ${submission.receivingUnitCode} is not a receiving unit of this deployment`,
      });
    }
    const given = options.dossierCode;
    if (given) {
      const day = receiptDay(new Date(submission.receivedAt));
      if (!dossierCodePattern.test(given) || (agencyId && !given.startsWith(`${agencyId}-`))) {
        problems.push({
          field: 'dossierCode',
          code: 'INVALID_DOSSIER_CODE',
          message: `dossierCode must be {agency electronic id}-{yyMMdd}-{NNNN} with this receiving unit's agency ${agencyId ?? ''}`,
        });
      } else if (given.split('-').at(-2) !== day) {
        problems.push({
          field: 'dossierCode',
          code: 'DOSSIER_CODE_DAY_MISMATCH',
          message: 'the day in dossierCode is not the receipt day (Vietnam time)',
        });
      }
    }
    if (new Date(submission.receivedAt).getTime() > this.clock.now().getTime() + 60_000) {
      problems.push({ field: 'receivedAt', code: 'IN_THE_FUTURE', message: 'receivedAt must not be in the future' });
    }
    if (problems.length > 0 || !agencyId) throw new ValidationError('The dossier cannot be accepted.', problems);
    this.assess(submission); // an unknown procedure or case is refused before anything is stored
    return agencyId;
  }

  private assess(submission: SubmitDossierCommand['submission']): DueDateAssessment {
    return this.schedule.assess({
      procedureCode: submission.procedureCode,
      caseCode: submission.caseCode,
      communeCode: submission.receivingUnitCode,
      receivedAt: new Date(submission.receivedAt),
    });
  }

  /** Stores the dossier with its `dossier.submitted` event (one write), then starts publishing it. */
  private async create(command: SubmitDossierCommand, dossierCode: string): Promise<SubmitDossierResult> {
    const { submission } = command;
    const { dossier, events } = receiveDossier(
      submission,
      dossierCode,
      command.clientId,
      this.clock.now(),
      this.assess(submission),
    );
    tagActiveSpan({ dossierCode, procedureCode: submission.procedureCode, communeCode: submission.receivingUnitCode });
    // `dossier.submitted` then `dossier.status-changed` (RECEIVED), sequences 1 and 2.
    const { outbox } = dossierEnvelopes(dossierCode, 0, events, this.clock.now());
    if (!(await this.dossiers.insert(dossier, outbox))) {
      const stored = await this.dossiers.findByCode(dossierCode);
      const same =
        stored?.clientId === command.clientId &&
        stored.externalReference.system === submission.externalReference.system &&
        stored.externalReference.id === submission.externalReference.id;
      // The same request finished meanwhile; or the intake system gave a code another dossier already has.
      if (stored && same) return toResult(stored);
      if (stored) throw new ConflictError(`Dossier code ${dossierCode} is already in use.`);
    }
    // The answer does not wait for the broker: the dossier and its event are stored; publishing runs on, and the
    // sweeper retries it if the broker is away.
    this.relay.relay(dossierCode).catch((e: unknown) => {
      this.logger.warn(`dossier ${dossierCode} stored; event publish deferred to the sweeper: ${String(e)}`);
    });
    return toResult(dossier);
  }
}

/** A reservation still without a number after this long belongs to a request that stopped; a retry takes over. */
const staleReservationMs = 30_000;

function mismatch(): IdempotencyMismatchError {
  return new IdempotencyMismatchError('This Idempotency-Key was already used with a different request body.');
}

/** The answer to the submission, as first given: a replay returns the same body even if the dossier moved on. */
function toResult(dossier: Dossier): SubmitDossierResult {
  const received = dossier.history[0]?.status ?? dossier.status;
  return {
    dossierCode: dossier.dossierCode,
    status: received,
    portalStatusCode: portalStatusCode[received],
    receivedAt: dossier.receivedAt,
    dueAt: dossier.dueAt,
    timeLimit: dossier.timeLimit,
    links: { self: `/v1/dossiers/${dossier.dossierCode}` },
  };
}
