import { Inject, Injectable } from '@nestjs/common';
import { isDuplicateKeyError } from '@lienthong/persistence';
import { MONGO_CONNECTION } from '@lienthong/runtime';
import type { Connection, mongo } from 'mongoose';
import type { DossierStatusLog, StatusChange } from '../../domain/status-change';

type LogDocument = DossierStatusLog & { _id: string };

/** `dossier_status_logs`: one document per dossier, `_id` = dossier code. */
@Injectable()
export class MongoStatusLogRepository {
  private readonly logs: mongo.Collection<LogDocument>;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.logs = connection.db!.collection<LogDocument>('dossier_status_logs');
  }

  /**
   * Appends `change` once: the update matches only while the stored high-water mark is below the event's sequence,
   * so a duplicate or stale event changes nothing. The first event of a dossier creates its document.
   */
  async append(dossierCode: string, change: StatusChange): Promise<boolean> {
    const result = await this.logs.updateOne(
      { _id: dossierCode, caseSequence: { $lt: change.sequence } },
      { $push: { changes: change }, $set: { caseSequence: change.sequence } },
    );
    if (result.modifiedCount === 1) return true;
    try {
      await this.logs.insertOne({ _id: dossierCode, dossierCode, changes: [change], caseSequence: change.sequence });
      return true;
    } catch (error) {
      // It exists: the event was a duplicate or stale (or a concurrent first event won; then retry the update once).
      if (!isDuplicateKeyError(error)) throw error;
      const retried = await this.logs.updateOne(
        { _id: dossierCode, caseSequence: { $lt: change.sequence } },
        { $push: { changes: change }, $set: { caseSequence: change.sequence } },
      );
      return retried.modifiedCount === 1;
    }
  }

  async findByCode(dossierCode: string): Promise<DossierStatusLog | null> {
    const doc = await this.logs.findOne({ _id: dossierCode });
    if (!doc) return null;
    const { _id: _code, ...log } = doc;
    return log;
  }
}
