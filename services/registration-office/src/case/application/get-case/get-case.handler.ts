import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@lienthong/kernel';
import { tagActiveSpan } from '@lienthong/observability';
import type { Case } from '../../domain/case';
import { CaseRepository } from '../../domain/case.ports';

/** Reads one case by dossier code. */
@Injectable()
export class GetCaseHandler {
  constructor(private readonly cases: CaseRepository) {}

  async execute(dossierCode: string): Promise<Case> {
    tagActiveSpan({ dossierCode });
    const kase = await this.cases.findByCode(dossierCode);
    if (!kase) throw new NotFoundError(`Case ${dossierCode} was not found.`);
    return kase;
  }
}
