import { Injectable, Logger } from '@nestjs/common';
import type { DossierSubmittedV1 } from '@lienthong/event-contracts';
import { canonicalHash, Clock, ConflictError, IdempotencyMismatchError, ValidationError } from '@lienthong/kernel';
import { createEvent, ServiceNames, toOutboxEntries } from '@lienthong/messaging';
import { tagActiveSpan } from '@lienthong/observability';
import { portalStatusCode, receiveDossier, type Dossier } from '../../domain/dossier';
import { formatDossierCode, receiptDay } from '../../domain/dossier-code';
import { DossierCodeCounter, DossierRepository, DuplicateSubmissionError } from '../../domain/dossier.ports';
import { DossierEventsRelay, ReceivingAgencies } from '../dossier-events-relay';
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
    private readonly clock: Clock,
  ) {}

  async execute(command: SubmitDossierCommand): Promise<{ result: SubmitDossierResult; replayed: boolean }> {
    const requestHash = canonicalHash(command.submission);
    const earlier = await this.replay(command, requestHash);
    if (earlier) return { result: earlier, replayed: true };

    const { submission } = command;
    const agencyId = this.agencies.agencyFor(submission.receivingUnitCode);
    const receivedAt = new Date(submission.receivedAt);
    const problems = [];
    if (!agencyId) {
      problems.push({
        field: 'receivingUnitCode',
        code: 'UNKNOWN_RECEIVING_UNIT',
        message: `commune ${submission.receivingUnitCode} is not a receiving unit of this deployment`,
      });
    }
    if (receivedAt.getTime() > this.clock.now().getTime() + 60_000) {
      problems.push({ field: 'receivedAt', code: 'IN_THE_FUTURE', message: 'receivedAt must not be in the future' });
    }
    if (problems.length > 0 || !agencyId) throw new ValidationError('The dossier cannot be accepted.', problems);

    const day = receiptDay(receivedAt);
    const dossierCode = formatDossierCode(agencyId, day, await this.counter.next(agencyId, day));
    const { dossier, submitted } = receiveDossier(submission, dossierCode, command.clientId, this.clock.now());
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
    try {
      await this.dossiers.insert(dossier, command.idempotencyKey, requestHash, toOutboxEntries([event]));
    } catch (error) {
      if (!(error instanceof DuplicateSubmissionError)) throw error;
      if (error.conflict === 'idempotencyKey') {
        // A concurrent request with the same key won the race; answer as it did.
        const winner = await this.replay(command, requestHash);
        if (winner) return { result: winner, replayed: true };
      }
      throw new ConflictError(`A dossier with this ${error.conflict} already exists for this client.`);
    }
    // The answer does not wait for the broker: the dossier and its event are stored; publishing runs on, and the
    // sweeper retries it if the broker is away.
    this.relay.relay(dossierCode).catch((e: unknown) => {
      this.logger.warn(`dossier ${dossierCode} stored; event publish deferred to the sweeper: ${String(e)}`);
    });
    return { result: toResult(dossier), replayed: false };
  }

  private async replay(command: SubmitDossierCommand, requestHash: string): Promise<SubmitDossierResult | undefined> {
    const stored = await this.dossiers.findByIdempotencyKey(command.clientId, command.idempotencyKey);
    if (!stored) return undefined;
    if (stored.requestHash !== requestHash) {
      throw new IdempotencyMismatchError('This Idempotency-Key was already used with a different request body.');
    }
    return toResult(stored.dossier);
  }
}

/** The answer to the submission, as first given: a replay returns the same body even if the dossier moved on. */
function toResult(dossier: Dossier): SubmitDossierResult {
  const received = dossier.history[0]?.status ?? dossier.status;
  return {
    dossierCode: dossier.dossierCode,
    status: received,
    portalStatusCode: portalStatusCode[received],
    receivedAt: dossier.receivedAt,
    links: { self: `/v1/dossiers/${dossier.dossierCode}` },
  };
}
