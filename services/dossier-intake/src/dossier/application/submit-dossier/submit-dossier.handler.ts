import { Injectable, Logger } from '@nestjs/common';
import type { DossierSubmittedV1 } from '@lienthong/event-contracts';
import { canonicalHash, Clock, ConflictError, IdempotencyMismatchError, ValidationError } from '@lienthong/kernel';
import { createEvent, ServiceNames, toOutboxEntries } from '@lienthong/messaging';
import { tagActiveSpan } from '@lienthong/observability';
import { portalStatusCode, receiveDossier, type Dossier } from '../../domain/dossier';
import { formatDossierCode, receiptDay } from '../../domain/dossier-code';
import { DossierCodeCounter, DossierRepository } from '../../domain/dossier.ports';
import { DossierEventsRelay } from '../dossier-events-relay';
import { ReceivingAgencies } from '../receiving-agencies';
import { StatutorySchedule, type DueDateAssessment } from '../statutory-schedule';
import type { SubmitDossierCommand, SubmitDossierResult } from './submit-dossier.command';

export const DossierEventType = { Submitted: 'dossier.submitted' } as const;

/**
 * Validates the parts that need reference data, issues the dossier code, stores the dossier together with its
 * `dossier.submitted` event (one write), then starts publishing the event. The request never waits for or fails on
 * the broker: the dossier is accepted and the outbox sweeper publishes the event when the broker is back.
 */
@Injectable()
export class SubmitDossierHandler {
  private readonly logger = new Logger(SubmitDossierHandler.name);

  constructor(
    private readonly dossiers: DossierRepository,
    private readonly counter: DossierCodeCounter,
    private readonly agencies: ReceivingAgencies,
    private readonly relay: DossierEventsRelay,
    private readonly schedule: StatutorySchedule,
    private readonly clock: Clock,
  ) {}

  async execute(command: SubmitDossierCommand): Promise<{ result: SubmitDossierResult; replayed: boolean }> {
    const { clientId, idempotencyKey, submission } = command;
    const requestHash = canonicalHash(submission);

    const reservation = await this.dossiers.findReservation(clientId, idempotencyKey);
    if (reservation) {
      if (reservation.requestHash !== requestHash) throw mismatch();
      const earlier = await this.dossiers.findByCode(reservation.dossierCode);
      if (earlier) return { result: toResult(earlier), replayed: true };
      // The first attempt reserved a code and stopped before storing the dossier: finish it under that code.
      return { result: await this.create(command, reservation.dossierCode), replayed: false };
    }

    const agencyId = this.validate(submission);
    const holder = await this.dossiers.claimExternalReference(clientId, submission.externalReference, idempotencyKey);
    if (holder !== idempotencyKey) {
      throw new ConflictError('A dossier with this externalReference already exists for this client.');
    }
    const day = receiptDay(new Date(submission.receivedAt));
    const dossierCode = formatDossierCode(agencyId, day, await this.counter.next(agencyId, day));
    if (!(await this.dossiers.reserve({ clientId, idempotencyKey, requestHash, dossierCode }))) {
      // A concurrent request with the same key got there first; answer as it does once it is done.
      const winner = await this.dossiers.findReservation(clientId, idempotencyKey);
      if (winner && winner.requestHash !== requestHash) throw mismatch();
      const done = winner && (await this.dossiers.findByCode(winner.dossierCode));
      if (done) return { result: toResult(done), replayed: true };
      throw new ConflictError('A request with this Idempotency-Key is in progress.', 1);
    }
    return { result: await this.create(command, dossierCode), replayed: false };
  }

  /** Checks what needs reference data and the clock; returns the receiving agency's id. */
  private validate(submission: SubmitDossierCommand['submission']): string {
    const agencyId = this.agencies.agencyFor(submission.receivingUnitCode);
    const problems = [];
    if (!agencyId) {
      problems.push({
        field: 'receivingUnitCode',
        code: 'UNKNOWN_RECEIVING_UNIT',
        message: `commune ${submission.receivingUnitCode} is not a receiving unit of this deployment`,
      });
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
    const { dossier, submitted } = receiveDossier(
      submission,
      dossierCode,
      command.clientId,
      this.clock.now(),
      this.assess(submission),
    );
    tagActiveSpan({ dossierCode, procedureCode: submission.procedureCode, communeCode: submission.receivingUnitCode });
    // Typed against the published contract: a change here that breaks consumers does not compile.
    const event = createEvent<DossierSubmittedV1>({
      type: DossierEventType.Submitted,
      source: `/${ServiceNames.DossierIntake}`,
      subject: dossierCode,
      sequence: dossier.version,
      data: submitted,
      time: this.clock.now(),
    });
    if (!(await this.dossiers.insert(dossier, toOutboxEntries([event])))) {
      const stored = await this.dossiers.findByCode(dossierCode);
      if (stored) return toResult(stored);
    }
    // The answer does not wait for the broker: the dossier and its event are stored; publishing runs on, and the
    // sweeper retries it if the broker is away.
    this.relay.relay(dossierCode).catch((e: unknown) => {
      this.logger.warn(`dossier ${dossierCode} stored; event publish deferred to the sweeper: ${String(e)}`);
    });
    return toResult(dossier);
  }
}

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
