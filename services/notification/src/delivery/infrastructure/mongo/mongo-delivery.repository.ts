import { Inject, Injectable } from '@nestjs/common';
import { toOutboxEntries, type EventEnvelope, type OutboxEntry } from '@lienthong/messaging';
import {
  isDuplicateKeyError,
  outboxInsertFields,
  outboxMarkUpdate,
  withoutOutboxFields,
  type OutboxFields,
} from '@lienthong/persistence';
import { MONGO_CONNECTION } from '@lienthong/runtime';
import type { Connection, mongo } from 'mongoose';
import type { PlannedDelivery } from '../../domain/delivery';
import {
  DeliveryRepository,
  DeliveryStatus,
  type AttemptRecord,
  type DeliveryLogEntry,
  type Notice,
} from '../../domain/delivery.ports';

type NoticeDocument = Notice & { _id: string };

/** The outcome of one delivery, with its pending `delivery.*` events (outbox inside the aggregate). */
interface OutcomeDocument extends OutboxFields {
  _id: string;
  dossierCode: string;
  eventId: string;
  status: Exclude<DeliveryStatus, 'PENDING'>;
  /** Highest attempt recorded: the guard that makes recording an attempt idempotent. */
  attempts: number;
  lastAttemptAt: string;
  provider?: string;
  providerMessageId?: string;
  lastError?: { code: string; message: string };
  outbox?: OutboxEntry[];
}

const settled = [DeliveryStatus.Sent, DeliveryStatus.Failed];

/**
 * `notices` (`_id` = status event id: the deliveries decided for it) and `delivery_outcomes` (`_id` = delivery id:
 * the last attempt, and the outbox of its events). Each write touches one document (ADR 0004); the delivery log
 * of a dossier is the one query on another field (`dossierCode`, a scan on FerretDB), for operators, not a hot path.
 */
@Injectable()
export class MongoDeliveryRepository extends DeliveryRepository {
  readonly notices: mongo.Collection<NoticeDocument>;
  readonly outcomes: mongo.Collection<OutcomeDocument>;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    super();
    this.notices = connection.db!.collection<NoticeDocument>('notices');
    this.outcomes = connection.db!.collection<OutcomeDocument>('delivery_outcomes');
  }

  async saveNotice(notice: Notice): Promise<Notice> {
    try {
      await this.notices.insertOne({ _id: notice.eventId, ...notice });
      return notice;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      return (await this.findNotice(notice.eventId))!;
    }
  }

  async findNotice(eventId: string): Promise<Notice | null> {
    const doc = await this.notices.findOne({ _id: eventId });
    if (!doc) return null;
    const { _id: _id, ...notice } = doc;
    return notice;
  }

  async findOutcome(deliveryId: string): Promise<{ status: DeliveryStatus; attempts: number } | null> {
    const doc = await this.outcomes.findOne({ _id: deliveryId }, { projection: { status: 1, attempts: 1 } });
    return doc ? { status: doc.status, attempts: doc.attempts } : null;
  }

  async recordAttempt(
    notice: Notice,
    delivery: PlannedDelivery,
    attempt: AttemptRecord,
    event: unknown,
  ): Promise<boolean> {
    const fields = {
      status: attempt.status,
      attempts: attempt.attempt,
      lastAttemptAt: attempt.at,
      ...(attempt.receipt?.provider ? { provider: attempt.receipt.provider } : {}),
      ...(attempt.receipt?.providerMessageId ? { providerMessageId: attempt.receipt.providerMessageId } : {}),
      ...(attempt.error ? { lastError: attempt.error } : {}),
    };
    const entries = toOutboxEntries([event as EventEnvelope]);
    // An attempt is recorded once; the same attempt may still settle a delivery it left RETRYING (a worker that
    // died after recording a failure runs the attempt again with the same number).
    const isSettling = (settled as string[]).includes(attempt.status);
    const guarded = {
      _id: delivery.deliveryId,
      attempts: isSettling ? { $lte: attempt.attempt } : { $lt: attempt.attempt },
      status: { $nin: settled },
    };
    // The driver's types forbid array operators on this document type; the shape is right for `outbox`.
    const update = {
      $set: fields,
      $push: { outbox: { $each: entries } },
      ...outboxMarkUpdate(entries),
    } as unknown as mongo.UpdateFilter<OutcomeDocument>;
    // The first attempt inserts (an update that matches nothing scans the collection on FerretDB, ADR 0004); later
    // ones, and a first attempt run again after a crash, find the document and update it under the guard.
    try {
      await this.outcomes.insertOne({
        _id: delivery.deliveryId,
        dossierCode: notice.dossierCode,
        eventId: notice.eventId,
        ...fields,
        ...outboxInsertFields(entries),
      });
      return true;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    const updated = await this.outcomes.updateOne(guarded, update);
    return updated.modifiedCount === 1;
  }

  async noticesSince(since: Date): Promise<Notice[]> {
    const docs = await this.notices.find({ plannedAt: { $gte: since.toISOString() } }).toArray();
    return docs.map(({ _id: _id, ...notice }) => notice);
  }

  async logOf(dossierCode: string, clientId: string): Promise<DeliveryLogEntry[]> {
    const notices = await this.notices.find({ dossierCode, clientId }).sort({ plannedAt: 1 }).toArray();
    const ids = notices.flatMap((n) => n.deliveries.map((d) => d.deliveryId));
    const outcomes = new Map<string, Omit<OutcomeDocument, keyof OutboxFields>>();
    for (const id of ids) {
      const doc = await this.outcomes.findOne({ _id: id }, { projection: { outbox: 0, outboxLease: 0 } });
      if (doc) outcomes.set(id, withoutOutboxFields(doc));
    }
    return notices.flatMap((notice) =>
      notice.deliveries.map((d): DeliveryLogEntry => {
        const outcome = outcomes.get(d.deliveryId);
        return {
          deliveryId: d.deliveryId,
          eventId: notice.eventId,
          channel: d.channel,
          recipient: d.recipient,
          template: d.template,
          status: outcome?.status ?? DeliveryStatus.Pending,
          attempts: outcome?.attempts ?? 0,
          plannedAt: notice.plannedAt,
          ...(outcome?.lastAttemptAt ? { lastAttemptAt: outcome.lastAttemptAt } : {}),
          ...(outcome?.provider ? { provider: outcome.provider } : {}),
          ...(outcome?.lastError ? { lastError: outcome.lastError } : {}),
        };
      }),
    );
  }
}
