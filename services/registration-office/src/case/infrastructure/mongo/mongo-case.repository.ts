import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { isDuplicateKeyError, toPlain } from '@lienthong/persistence';
import { MONGO_CONNECTION } from '@lienthong/runtime';
import type { Connection, Model } from 'mongoose';
import type { Case } from '../../domain/case';
import { CaseRepository } from '../../domain/case.ports';
import { caseSchema } from './case.schema';

type CaseDocument = Case & { outbox: unknown[] };

@Injectable()
export class MongoCaseRepository extends CaseRepository implements OnModuleInit {
  readonly model: Model<CaseDocument>;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    super();
    this.model = connection.model<CaseDocument>('Case', caseSchema);
  }

  async onModuleInit(): Promise<void> {
    await this.model.createIndexes();
  }

  override async createIfAbsent(kase: Case, outbox: readonly unknown[]): Promise<boolean> {
    try {
      await this.model.collection.insertOne({ ...kase, outbox: [...outbox] });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  override async findByCode(dossierCode: string): Promise<Case | null> {
    const doc = toPlain(await this.model.findOne({ dossierCode }).lean<CaseDocument>().exec());
    if (!doc) return null;
    const { outbox: _outbox, ...kase } = doc;
    return kase;
  }
}
