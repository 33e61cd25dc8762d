import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { isDuplicateKeyError, toPlain } from '@lienthong/persistence';
import { MONGO_CONNECTION } from '@lienthong/runtime';
import { Schema, type Connection, type Model } from 'mongoose';
import type { DossierStatusLog, StatusChange } from '../../domain/status-change';

const statusLogSchema = new Schema(
  { dossierCode: { type: String, required: true }, changes: [Schema.Types.Mixed], caseSequence: Number },
  { collection: 'dossier_status_logs', versionKey: false },
);
statusLogSchema.index({ dossierCode: 1 }, { unique: true, name: 'dossier_code_unique' });

/** `dossier_status_logs`: one document per dossier. */
@Injectable()
export class MongoStatusLogRepository implements OnModuleInit {
  private readonly model: Model<DossierStatusLog>;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.model = connection.model<DossierStatusLog>('DossierStatusLog', statusLogSchema);
  }

  async onModuleInit(): Promise<void> {
    await this.model.createIndexes();
  }

  /**
   * Appends `change` once: the update matches only while the stored high-water mark is below the event's sequence,
   * so a duplicate or stale event changes nothing. The first event of a dossier creates its document.
   */
  async append(dossierCode: string, change: StatusChange): Promise<boolean> {
    const result = await this.model
      .updateOne(
        { dossierCode, caseSequence: { $lt: change.sequence } },
        { $push: { changes: change }, $set: { caseSequence: change.sequence } },
      )
      .exec();
    if (result.modifiedCount === 1) return true;
    if (await this.model.exists({ dossierCode })) return false;
    try {
      await this.model.collection.insertOne({ dossierCode, changes: [change], caseSequence: change.sequence });
      return true;
    } catch (error) {
      // A concurrent first event created it; apply through the guarded update.
      if (isDuplicateKeyError(error)) return this.append(dossierCode, change);
      throw error;
    }
  }

  async findByCode(dossierCode: string): Promise<DossierStatusLog | null> {
    return toPlain(await this.model.findOne({ dossierCode }).lean<DossierStatusLog>().exec());
  }
}
