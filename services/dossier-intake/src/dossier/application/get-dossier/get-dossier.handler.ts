import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@lienthong/kernel';
import { tagActiveSpan } from '@lienthong/observability';
import type { Dossier } from '../../domain/dossier';
import { DossierRepository } from '../../domain/dossier.ports';

/** Reads one dossier by its code. */
@Injectable()
export class GetDossierHandler {
  constructor(private readonly dossiers: DossierRepository) {}

  async execute(dossierCode: string): Promise<Dossier> {
    tagActiveSpan({ dossierCode });
    const dossier = await this.dossiers.findByCode(dossierCode);
    if (!dossier) throw new NotFoundError(`Dossier ${dossierCode} was not found.`);
    return dossier;
  }
}
