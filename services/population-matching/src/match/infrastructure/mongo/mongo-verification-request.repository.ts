import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { isDuplicateKeyError, toPlain } from '@lienthong/persistence';
import { MONGO_CONNECTION } from '@lienthong/runtime';
import { Schema, type Connection, type Model } from 'mongoose';
import type { VerificationRequest } from '../../domain/verification-request';

const verificationRequestSchema = new Schema(
  {
    dossierCode: { type: String, required: true },
    state: String,
    persons: [Schema.Types.Mixed],
    requestedAt: String,
    intakeSequence: Number,
  },
  { collection: 'verification_requests', versionKey: false },
);
verificationRequestSchema.index({ dossierCode: 1 }, { unique: true, name: 'dossier_code_unique' });

/** `verification_requests`: one document per dossier. */
@Injectable()
export class MongoVerificationRequestRepository implements OnModuleInit {
  private readonly model: Model<VerificationRequest>;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.model = connection.model<VerificationRequest>('VerificationRequest', verificationRequestSchema);
  }

  async onModuleInit(): Promise<void> {
    await this.model.createIndexes();
  }

  /** Stores the request unless one exists for the dossier (a redelivered event); returns whether it was new. */
  async createIfAbsent(request: VerificationRequest): Promise<boolean> {
    try {
      await this.model.collection.insertOne({ ...request });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  async findByCode(dossierCode: string): Promise<VerificationRequest | null> {
    return toPlain(await this.model.findOne({ dossierCode }).lean<VerificationRequest>().exec());
  }
}
