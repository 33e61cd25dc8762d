import { Inject, Injectable } from '@nestjs/common';
import { isDuplicateKeyError } from '@lienthong/persistence';
import { MONGO_CONNECTION } from '@lienthong/runtime';
import type { Connection, mongo } from 'mongoose';
import type { VerificationRequest } from '../../domain/verification-request';

type RequestDocument = VerificationRequest & { _id: string };

/** `verification_requests`: one document per dossier, `_id` = dossier code. */
@Injectable()
export class MongoVerificationRequestRepository {
  private readonly requests: mongo.Collection<RequestDocument>;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.requests = connection.db!.collection<RequestDocument>('verification_requests');
  }

  /** Stores the request unless one exists for the dossier (a redelivered event); returns whether it was new. */
  async createIfAbsent(request: VerificationRequest): Promise<boolean> {
    try {
      await this.requests.insertOne({ _id: request.dossierCode, ...request });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  async findByCode(dossierCode: string): Promise<VerificationRequest | null> {
    const doc = await this.requests.findOne({ _id: dossierCode });
    if (!doc) return null;
    const { _id: _code, ...request } = doc;
    return request;
  }
}
