import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { isDuplicateKeyError, toPlain } from '@lienthong/persistence';
import { MONGO_CONNECTION } from '@lienthong/runtime';
import type { Connection, Model, mongo } from 'mongoose';
import type { Dossier, HistoryEntry } from '../../domain/dossier';
import {
  DossierCodeCounter,
  DossierRepository,
  DuplicateSubmissionError,
  type StoredSubmission,
} from '../../domain/dossier.ports';
import { dossierSchema } from './dossier.schema';

type DossierDocument = Dossier & { idempotencyKey: string; requestHash: string; outbox: unknown[] };

// Fields that exist only for storage; never part of the Dossier handed to callers.
function toDossier(doc: DossierDocument): Dossier {
  const { idempotencyKey: _k, requestHash: _h, outbox: _o, ...dossier } = doc;
  return dossier;
}

@Injectable()
export class MongoDossierRepository extends DossierRepository implements OnModuleInit {
  readonly model: Model<DossierDocument>;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    super();
    this.model = connection.model<DossierDocument>('Dossier', dossierSchema);
  }

  async onModuleInit(): Promise<void> {
    await this.model.createIndexes();
  }

  override async findByIdempotencyKey(clientId: string, idempotencyKey: string): Promise<StoredSubmission | null> {
    const doc = toPlain(await this.model.findOne({ clientId, idempotencyKey }).lean<DossierDocument>().exec());
    return doc ? { dossier: toDossier(doc), requestHash: doc.requestHash } : null;
  }

  override async insert(
    dossier: Dossier,
    idempotencyKey: string,
    requestHash: string,
    outbox: readonly unknown[],
  ): Promise<void> {
    try {
      await this.model.collection.insertOne({ ...dossier, idempotencyKey, requestHash, outbox: [...outbox] });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      // Error texts differ between MongoDB and FerretDB; ask which unique key is taken instead of parsing them.
      const { clientId, externalReference } = dossier;
      if (await this.model.exists({ clientId, idempotencyKey })) throw new DuplicateSubmissionError('idempotencyKey');
      const byReference = {
        clientId,
        'externalReference.system': externalReference.system,
        'externalReference.id': externalReference.id,
      };
      if (await this.model.exists(byReference)) throw new DuplicateSubmissionError('externalReference');
      throw new DuplicateSubmissionError('dossierCode');
    }
  }

  override async findByCode(dossierCode: string): Promise<Dossier | null> {
    const doc = toPlain(await this.model.findOne({ dossierCode }).lean<DossierDocument>().exec());
    return doc ? toDossier(doc) : null;
  }

  override async applyCaseEvent(dossierCode: string, sequence: number, entry: HistoryEntry): Promise<boolean> {
    const result = await this.model
      .updateOne(
        { dossierCode, caseSequence: { $lt: sequence } },
        { $set: { caseSequence: sequence, status: entry.status }, $push: { history: entry } },
      )
      .exec();
    return result.modifiedCount === 1;
  }
}

/** Daily counters in `dossier_code_counters`: one document per agency and day, incremented atomically. */
@Injectable()
export class MongoDossierCodeCounter extends DossierCodeCounter {
  private readonly counters: mongo.Collection<{ _id: string; seq: number }>;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    super();
    this.counters = connection.db!.collection<{ _id: string; seq: number }>('dossier_code_counters');
  }

  override async next(agencyId: string, day: string): Promise<number> {
    const counter = await this.counters.findOneAndUpdate(
      { _id: `${agencyId}|${day}` },
      { $inc: { seq: 1 } },
      { upsert: true, returnDocument: 'after' },
    );
    if (!counter) throw new Error(`counter ${agencyId}|${day} was not returned by the database`);
    return counter.seq;
  }
}
