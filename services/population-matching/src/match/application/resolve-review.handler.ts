import { Injectable } from '@nestjs/common';
import { Clock, ConflictError, NotFoundError, ValidationError } from '@lienthong/kernel';
import { createEvent, ServiceNames, toOutboxEntries } from '@lienthong/messaging';
import { MatchEventsRelay, VerificationRequests } from '../domain/match.ports';
import { inReviewScope } from '../domain/review-scope';
import { resolvePerson, type VerificationRequest } from '../domain/verification-request';

/** Who is resolving: an LRO officer and the communes their branch serves. */
export interface Reviewer {
  userId: string;
  branch: string;
  /** Communes of the reviewer's branch; requests of other communes are invisible (404). */
  communes: ReadonlySet<string>;
}

export interface ResolutionInput {
  verdict: unknown;
  reason: unknown;
}

/**
 * An officer's decision on a NEEDS_REVIEW person: recorded on the request and announced as `match.resolved` in one
 * conditional write. Nothing in the cadastral record is overwritten here.
 */
@Injectable()
export class ResolveReviewHandler {
  constructor(
    private readonly requests: VerificationRequests,
    private readonly relay: MatchEventsRelay,
    private readonly clock: Clock,
  ) {}

  /** The request if the reviewer's branch may see it; NotFoundError otherwise. */
  async visible(dossierCode: string, reviewer: Reviewer): Promise<VerificationRequest> {
    const request = await this.requests.find(dossierCode);
    if (!request || !inReviewScope(request, reviewer.communes)) {
      throw new NotFoundError(`No verification request for dossier ${dossierCode}.`);
    }
    return request;
  }

  async resolve(dossierCode: string, index: number, input: ResolutionInput, reviewer: Reviewer): Promise<void> {
    const errors = [];
    if (input.verdict !== 'MATCHED' && input.verdict !== 'MISMATCH') {
      errors.push({ field: 'verdict', code: 'INVALID_VERDICT', message: 'verdict must be MATCHED or MISMATCH' });
    }
    if (typeof input.reason !== 'string' || input.reason.trim().length === 0 || input.reason.length > 1000) {
      errors.push({ field: 'reason', code: 'INVALID_REASON', message: 'reason must be 1..1000 characters' });
    }
    if (errors.length > 0) throw new ValidationError('The resolution is invalid.', errors);
    const request = await this.visible(dossierCode, reviewer);
    const outcome = resolvePerson(request, index, {
      verdict: input.verdict as 'MATCHED' | 'MISMATCH',
      reason: (input.reason as string).trim(),
      userId: reviewer.userId,
      unitCode: reviewer.branch,
      at: this.clock.now().toISOString(),
    });
    if ('refused' in outcome) {
      if (outcome.refused === 'NO_SUCH_PERSON')
        throw new NotFoundError(`Dossier ${dossierCode} has no person ${index}.`);
      throw new ConflictError(`Person ${index} of dossier ${dossierCode} is not awaiting review.`);
    }
    const event = createEvent({
      type: outcome.event.type,
      source: `/${ServiceNames.PopulationMatching}`,
      subject: dossierCode,
      sequence: outcome.request.version,
      data: outcome.event.data,
      correlationId: request.correlationId,
      causationId: request.causationId,
    });
    if (!(await this.requests.save(outcome.request, request.version, toOutboxEntries([event])))) {
      throw new ConflictError(`Dossier ${dossierCode} changed meanwhile; read it again.`, 1);
    }
    await this.relay.relay(dossierCode).catch(() => undefined);
  }
}
