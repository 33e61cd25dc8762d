import { Injectable, Logger } from '@nestjs/common';
import { Clock, ConflictError, NotFoundError } from '@lienthong/kernel';
import { tagActiveSpan } from '@lienthong/observability';
import type { Dossier, Transition } from '../../domain/dossier';
import { DossierRepository } from '../../domain/dossier.ports';
import { dossierEnvelopes } from '../dossier-envelopes';
import { DossierEventsRelay } from '../dossier-events-relay';

// Concurrent writers of one dossier (the LRO's events, the front desk) are rare; a few rounds settle them.
const maxAttempts = 8;

/**
 * The one way a stored dossier changes: read, apply a pure transition, write the new state and its events in one
 * conditional update (optimistic concurrency on `version`), retry on a concurrent change, then start publishing.
 */
@Injectable()
export class DossierChanges {
  private readonly logger = new Logger(DossierChanges.name);

  constructor(
    private readonly dossiers: DossierRepository,
    private readonly relay: DossierEventsRelay,
    private readonly clock: Clock,
  ) {}

  /**
   * Applies `change` to the dossier; `change` returns null when there is nothing to do (a duplicate event). Returns
   * the stored dossier, or null when the dossier does not exist and `missing` is 'ignore'.
   */
  async apply(
    dossierCode: string,
    change: (dossier: Dossier) => Transition | null,
    options: { missing: 'ignore' | 'not-found'; cause?: { correlationId: string; causationId: string } },
  ): Promise<Dossier | null> {
    tagActiveSpan({ dossierCode });
    for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
      const current = await this.dossiers.findByCode(dossierCode);
      if (!current) {
        if (options.missing === 'ignore') return null;
        throw new NotFoundError(`Dossier ${dossierCode} was not found.`);
      }
      tagActiveSpan({ procedureCode: current.procedureCode, communeCode: current.receivingUnitCode });
      const result = change(current);
      if (!result) return current;
      const { outbox } = dossierEnvelopes(dossierCode, current.version, result.events, this.clock.now(), options.cause);
      if (await this.dossiers.save(result.dossier, current.version, outbox)) {
        if (outbox.length > 0) {
          this.relay.relay(dossierCode).catch((e: unknown) => {
            this.logger.warn(`dossier ${dossierCode} changed; event publish deferred to the sweeper: ${String(e)}`);
          });
        }
        return result.dossier;
      }
    }
    throw new ConflictError(`Dossier ${dossierCode} is being changed concurrently; retry.`, 1);
  }
}
