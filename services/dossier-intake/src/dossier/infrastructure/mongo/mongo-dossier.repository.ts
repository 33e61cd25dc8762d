import { Inject, Injectable } from '@nestjs/common';
import { isDuplicateKeyError, withoutOutboxFields } from '@lienthong/persistence';
import { MONGO_CONNECTION } from '@lienthong/runtime';
import type { Connection, mongo } from 'mongoose';
import type { Dossier, ExternalReference, HistoryEntry } from '../../domain/dossier';
import { DossierCodeCounter, DossierRepository, type SubmissionReservation } from '../../domain/dossier.ports';

// Collections, each keyed by `_id`: the one index FerretDB v1 uses for lookups (other filters scan the collection),
// and the cheapest on MongoDB too. Each write touches one document, so no step needs a transaction.
//   dossiers             _id = dossier code; the dossier, its history and its pending events (`outbox`)
//   submission_keys      _id = clientId|idempotencyKey; the reservation of a dossier code by the first request
//   external_references  _id = clientId|system|id; which request holds an intake system's own reference
type DossierDocument = Dossier & { _id: string; outbox: unknown[] };
type ReservationDocument = SubmissionReservation & { _id: string; at: Date };
type ReferenceDocument = { _id: string; idempotencyKey: string; at: Date };

function toDossier(doc: DossierDocument): Dossier {
  const { _id: _code, ...dossier } = withoutOutboxFields(doc);
  return dossier;
}

@Injectable()
export class MongoDossierRepository extends DossierRepository {
  /** The dossiers collection; the outbox relay reads and trims pending events there. */
  readonly dossiers: mongo.Collection<DossierDocument>;
  private readonly reservations: mongo.Collection<ReservationDocument>;
  private readonly references: mongo.Collection<ReferenceDocument>;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    super();
    this.dossiers = connection.db!.collection<DossierDocument>('dossiers');
    this.reservations = connection.db!.collection<ReservationDocument>('submission_keys');
    this.references = connection.db!.collection<ReferenceDocument>('external_references');
  }

  override async findReservation(clientId: string, idempotencyKey: string): Promise<SubmissionReservation | null> {
    const doc = await this.reservations.findOne({ _id: `${clientId}|${idempotencyKey}` });
    if (!doc) return null;
    const { _id: _key, at: _at, ...reservation } = doc;
    return reservation;
  }

  override async reserve(reservation: SubmissionReservation): Promise<boolean> {
    const _id = `${reservation.clientId}|${reservation.idempotencyKey}`;
    return this.insertUnlessPresent(this.reservations, { _id, ...reservation, at: new Date() });
  }

  override async claimExternalReference(
    clientId: string,
    reference: ExternalReference,
    idempotencyKey: string,
  ): Promise<string> {
    const _id = `${clientId}|${reference.system}|${reference.id}`;
    if (await this.insertUnlessPresent(this.references, { _id, idempotencyKey, at: new Date() })) return idempotencyKey;
    const holder = await this.references.findOne({ _id });
    return holder?.idempotencyKey ?? idempotencyKey;
  }

  override async insert(dossier: Dossier, outbox: readonly unknown[]): Promise<boolean> {
    return this.insertUnlessPresent(this.dossiers, { _id: dossier.dossierCode, ...dossier, outbox: [...outbox] });
  }

  override async findByCode(dossierCode: string): Promise<Dossier | null> {
    const doc = await this.dossiers.findOne({ _id: dossierCode });
    return doc ? toDossier(doc) : null;
  }

  override async applyCaseEvent(dossierCode: string, sequence: number, entry: HistoryEntry): Promise<boolean> {
    const result = await this.dossiers.updateOne(
      { _id: dossierCode, caseSequence: { $lt: sequence } },
      { $set: { caseSequence: sequence, status: entry.status }, $push: { history: entry } },
    );
    return result.modifiedCount === 1;
  }

  private async insertUnlessPresent<T extends { _id: string }>(
    collection: mongo.Collection<T>,
    doc: T,
  ): Promise<boolean> {
    try {
      await collection.insertOne(doc as mongo.OptionalUnlessRequiredId<T>);
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
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
