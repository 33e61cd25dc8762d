import { Inject, Injectable } from '@nestjs/common';
import { isDuplicateKeyError, withoutOutboxFields } from '@lienthong/persistence';
import { MONGO_CONNECTION } from '@lienthong/runtime';
import type { Connection, mongo } from 'mongoose';
import type { Case } from '../../domain/case';
import { CaseRepository } from '../../domain/case.ports';

// `cases`: one document per dossier, `_id` = dossier code (the lookup FerretDB indexes), holding the case, its
// history and its pending events (`outbox`); every change is one single-document write.
type CaseDocument = Case & { _id: string; outbox: unknown[] };

@Injectable()
export class MongoCaseRepository extends CaseRepository {
  /** The cases collection; the outbox relay reads and trims pending events there. */
  readonly cases: mongo.Collection<CaseDocument>;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    super();
    this.cases = connection.db!.collection<CaseDocument>('cases');
  }

  override async createIfAbsent(kase: Case, outbox: readonly unknown[]): Promise<boolean> {
    try {
      await this.cases.insertOne({ _id: kase.dossierCode, ...kase, outbox: [...outbox] });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  override async findByCode(dossierCode: string): Promise<Case | null> {
    const doc = await this.cases.findOne({ _id: dossierCode });
    if (!doc) return null;
    const { _id: _code, ...kase } = withoutOutboxFields(doc);
    return kase;
  }
}
