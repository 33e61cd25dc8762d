import { Inject, Injectable } from '@nestjs/common';
import { isDuplicateKeyError } from '@lienthong/persistence';
import { MONGO_CONNECTION } from '@lienthong/runtime';
import type { Connection, mongo } from 'mongoose';
import { DirectoryRepository } from '../../domain/delivery.ports';
import type { DossierContacts, WebhookSubscription } from '../../domain/status-change';

type ContactsDocument = DossierContacts & { _id: string };
type SubscriptionDocument = WebhookSubscription & { _id: string };

/**
 * `dossier_contacts` (`_id` = dossier code) and `webhook_subscriptions` (`_id` = client id): every lookup is by
 * `_id` (ADR 0004). Contacts are personal data: read only to send, never returned by the API or logged.
 */
@Injectable()
export class MongoDirectoryRepository extends DirectoryRepository {
  readonly contacts: mongo.Collection<ContactsDocument>;
  readonly subscriptions: mongo.Collection<SubscriptionDocument>;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    super();
    this.contacts = connection.db!.collection<ContactsDocument>('dossier_contacts');
    this.subscriptions = connection.db!.collection<SubscriptionDocument>('webhook_subscriptions');
  }

  async saveContacts(contacts: DossierContacts): Promise<void> {
    try {
      await this.contacts.insertOne({ _id: contacts.dossierCode, ...contacts });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }

  async findContacts(dossierCode: string): Promise<DossierContacts | null> {
    const doc = await this.contacts.findOne({ _id: dossierCode });
    if (!doc) return null;
    const { _id: _code, ...contacts } = doc;
    return contacts;
  }

  async saveSubscription(subscription: WebhookSubscription): Promise<boolean> {
    const update = { $set: { ...subscription } };
    const replaced = await this.subscriptions.updateOne(
      { _id: subscription.clientId, sequence: { $lt: subscription.sequence } },
      update,
    );
    if (replaced.modifiedCount === 1) return true;
    try {
      await this.subscriptions.insertOne({ _id: subscription.clientId, ...subscription });
      return true;
    } catch (error) {
      // It exists: the same or a newer subscription is stored (or a concurrent first one won; try once more).
      if (!isDuplicateKeyError(error)) throw error;
      const retried = await this.subscriptions.updateOne(
        { _id: subscription.clientId, sequence: { $lt: subscription.sequence } },
        update,
      );
      return retried.modifiedCount === 1;
    }
  }

  async findSubscription(clientId: string): Promise<WebhookSubscription | null> {
    const doc = await this.subscriptions.findOne({ _id: clientId });
    if (!doc) return null;
    const { _id: _id, ...subscription } = doc;
    return subscription;
  }
}
