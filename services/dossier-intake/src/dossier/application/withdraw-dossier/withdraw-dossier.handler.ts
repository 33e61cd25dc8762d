import { Injectable } from '@nestjs/common';
import { Clock } from '@lienthong/kernel';
import type { Dossier } from '../../domain/dossier';
import { withdraw } from '../../domain/dossier-lifecycle';
import { DossierChanges } from '../change-dossier/dossier-changes';
import { inScope, notFound, type CallerScope } from '../get-dossier/get-dossier.handler';

/** The citizen withdraws the dossier at the front desk; the LRO is told with `dossier.withdrawn`. */
@Injectable()
export class WithdrawDossierHandler {
  constructor(
    private readonly changes: DossierChanges,
    private readonly clock: Clock,
  ) {}

  async execute(dossierCode: string, reason: string, scope: CallerScope): Promise<Dossier> {
    const requestedAt = this.clock.now().toISOString();
    const stored = await this.changes.apply(
      dossierCode,
      (dossier) => {
        if (!inScope(dossier, scope)) throw notFound(dossierCode);
        return withdraw(dossier, reason, requestedAt, scope.clientId);
      },
      { missing: 'not-found' },
    );
    return stored!;
  }
}
