import type { mongo } from 'mongoose';
import type { Connection } from 'mongoose';
import { newId } from '@lienthong/kernel';
import { createKafka, KafkaPublisher, OutboxRelay, Topics } from '@lienthong/messaging';
import { connectMongo, MongoOutboxStore } from '@lienthong/persistence';
import { KafkaTestConsumer } from '@lienthong/testing';
import { deliveryEvent } from '../../application/send-delivery/delivery-event';
import { planDeliveries } from '../../domain/delivery';
import type { AttemptRecord, Notice } from '../../domain/delivery.ports';
import { DossierStatus } from '../../domain/status-change';
import { MongoDeliveryRepository } from './mongo-delivery.repository';
import { MongoDirectoryRepository } from './mongo-directory.repository';

// Against the real local FerretDB (MongoDB in production) and Kafka.

const mongoUrl = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017';
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

function notice(code: string): Notice {
  const eventId = newId();
  return {
    eventId,
    dossierCode: code,
    clientId: 'client-it',
    plannedAt: new Date().toISOString(),
    deliveries: planDeliveries(
      {
        eventId,
        dossierCode: code,
        procedureCode: '1.013831',
        receivingUnitCode: '22657',
        clientId: 'client-it',
        status: DossierStatus.SupplementRequested,
        portalStatusCode: 5,
        dueAt: '2026-12-03T08:15:00+07:00',
        changedAt: '2026-11-25T10:40:00+07:00',
      },
      { dossierCode: code, procedureCode: '1.013831', applicant: { fullName: 'Lê Minh', phone: '0912345678' } },
      true,
    ),
  };
}

describe('notification repositories (real FerretDB/MongoDB)', () => {
  let connection: Connection;
  let deliveries: MongoDeliveryRepository;
  let directory: MongoDirectoryRepository;

  beforeAll(async () => {
    connection = await connectMongo({ url: mongoUrl, dbName: 'notification_it' });
    deliveries = new MongoDeliveryRepository(connection);
    directory = new MongoDirectoryRepository(connection);
  });
  afterAll(async () => {
    await connection?.close();
  });

  it('keeps the first decision for an event', async () => {
    const first = notice(`IT-${newId()}`);
    expect(await deliveries.saveNotice(first)).toEqual(first);
    const again = { ...first, plannedAt: new Date(0).toISOString(), deliveries: [] };
    expect(await deliveries.saveNotice(again)).toEqual(first);
    const recent = await deliveries.noticesSince(new Date(Date.now() - 60_000));
    expect(recent.find((n) => n.eventId === first.eventId)).toEqual(first);
  });

  it('records each attempt once, never after the delivery is settled, and logs by dossier for its client only', async () => {
    const n = notice(`IT-${newId()}`);
    await deliveries.saveNotice(n);
    const sms = n.deliveries.find((d) => d.channel === 'SMS')!;
    const record = (attempt: number, status: AttemptRecord['status']): AttemptRecord => ({
      deliveryId: sms.deliveryId,
      attempt,
      at: new Date().toISOString(),
      status,
      ...(status === 'SENT'
        ? { receipt: { provider: 'primary' } }
        : { error: { code: 'PROVIDER_TIMEOUT', message: 'x' } }),
    });
    const job = { deliveryId: sms.deliveryId, eventId: n.eventId, dossierCode: n.dossierCode, channel: sms.channel };
    const write = (r: AttemptRecord): Promise<boolean> =>
      deliveries.recordAttempt(n, sms, r, deliveryEvent(sms, r, job));
    expect(await write(record(1, 'RETRYING'))).toBe(true);
    expect(await write(record(1, 'RETRYING'))).toBe(false);
    // The same attempt run again after a crash may still settle it.
    expect(await write(record(1, 'SENT'))).toBe(true);
    expect(await write(record(2, 'FAILED'))).toBe(false);
    expect(await deliveries.findOutcome(sms.deliveryId)).toEqual({ status: 'SENT', attempts: 1 });

    const log = await deliveries.logOf(n.dossierCode, 'client-it');
    expect(log.map((e) => [e.channel, e.recipient, e.status, e.attempts])).toEqual([
      ['WEBHOOK', 'client-it', 'PENDING', 0],
      ['SMS', '0912****78', 'SENT', 1],
    ]);
    expect(JSON.stringify(log)).not.toContain('0912345678');
    expect(await deliveries.logOf(n.dossierCode, 'another-client')).toEqual([]);
  });

  it('publishes the recorded delivery events through the outbox relay, then removes them', async () => {
    const consumer = new KafkaTestConsumer(brokers, [Topics.DeliveryEvents]);
    await consumer.start();
    const publisher = new KafkaPublisher(createKafka({ clientId: 'notification-it', brokers }));
    await publisher.connect();
    try {
      const n = notice(`IT-${newId()}`);
      await deliveries.saveNotice(n);
      const sms = n.deliveries.find((d) => d.channel === 'SMS')!;
      const r: AttemptRecord = { deliveryId: sms.deliveryId, attempt: 1, at: new Date().toISOString(), status: 'SENT' };
      const job = { deliveryId: sms.deliveryId, eventId: n.eventId, dossierCode: n.dossierCode, channel: sms.channel };
      await deliveries.recordAttempt(n, sms, r, deliveryEvent(sms, r, job));
      const relay = new OutboxRelay(
        new MongoOutboxStore(deliveries.outcomes as unknown as mongo.Collection, '_id'),
        publisher,
        Topics.DeliveryEvents,
      );
      expect(await relay.relay(sms.deliveryId)).toBe(1);
      expect(await relay.relay(sms.deliveryId)).toBe(0);
      const message = await consumer.waitForMessage((m) => m.key === n.dossierCode);
      expect(message.value).toMatchObject({
        type: 'delivery.sent',
        data: { deliveryId: sms.deliveryId, recipient: '0912****78' },
      });
    } finally {
      await Promise.allSettled([consumer.stop(), publisher.disconnect()]);
    }
  });

  it('keeps the newest webhook subscription and each dossier’s first contacts', async () => {
    const clientId = `client-${newId()}`;
    const sub = {
      clientId,
      url: 'https://a.example.vn/h',
      secret: 'whsec_x',
      subscribedAt: '2026-11-20T09:00:00+07:00',
    };
    expect(await directory.saveSubscription({ ...sub, sequence: 2 })).toBe(true);
    expect(await directory.saveSubscription({ ...sub, url: 'https://old.example.vn/h', sequence: 1 })).toBe(false);
    expect(await directory.saveSubscription({ ...sub, url: 'https://b.example.vn/h', sequence: 3 })).toBe(true);
    expect(await directory.findSubscription(clientId)).toMatchObject({ url: 'https://b.example.vn/h', sequence: 3 });

    const code = `IT-${newId()}`;
    const contacts = {
      dossierCode: code,
      procedureCode: '1.013831',
      applicant: { fullName: 'Lê Minh', phone: '0912345678' },
    };
    await directory.saveContacts(contacts);
    await directory.saveContacts({ ...contacts, applicant: { fullName: 'Other' } });
    expect(await directory.findContacts(code)).toEqual(contacts);
  });
});
