import { Module } from '@nestjs/common';
import type { mongo } from 'mongoose';
import { AuthModule } from '@lienthong/auth';
import { KafkaPublisher, OutboxRelay, Topics } from '@lienthong/messaging';
import { MongoOutboxStore } from '@lienthong/persistence';
import { OUTBOX_RELAY, OUTBOX_SWEEP_INTERVAL_MS, OutboxSweeperHost } from '@lienthong/runtime';
import { allowLoopbackWebhookTargets, NotificationEnv, smsProviders } from '../config/notification.env';
import { DeliveryMetrics } from './application/delivery-metrics';
import { PlanNotificationsHandler } from './application/plan-notifications/plan-notifications.handler';
import { ReconcileDeliveriesHandler } from './application/reconcile-deliveries/reconcile-deliveries.handler';
import { RecordContactsHandler } from './application/record-contacts/record-contacts.handler';
import { RecordSubscriptionHandler } from './application/record-subscription/record-subscription.handler';
import { ChannelSenders, SendDeliveryHandler } from './application/send-delivery/send-delivery.handler';
import { DeliveryEventsRelay, DeliveryQueue, DeliveryRepository, DirectoryRepository } from './domain/delivery.ports';
import { DeliveryLogController } from './entrypoints/http/delivery-log.controller';
import {
  DELIVERY_WORKER_SETTINGS,
  SendDeliveryProcessor,
  type DeliveryWorkerSettings,
} from './entrypoints/jobs/send-delivery.processor';
import {
  RECONCILE_SETTINGS,
  ReconcileDeliveriesSchedule,
  type ReconcileSettings,
} from './entrypoints/jobs/reconcile-deliveries.schedule';
import { DossierEventsConsumer } from './entrypoints/kafka/dossier-events.consumer';
import { SmsGatewaySender } from './infrastructure/channels/sms-gateway.sender';
import { SmtpSender } from './infrastructure/channels/smtp.sender';
import { WebhookSender } from './infrastructure/channels/webhook.sender';
import { ZaloZnsSender } from './infrastructure/channels/zalo-zns.sender';
import { TargetGuard } from './infrastructure/http/target-guard';
import { MongoDeliveryRepository } from './infrastructure/mongo/mongo-delivery.repository';
import { MongoDirectoryRepository } from './infrastructure/mongo/mongo-directory.repository';
import { BullmqDeliveryQueue } from './infrastructure/queue/bullmq-delivery.queue';

@Module({
  imports: [AuthModule],
  controllers: [DossierEventsConsumer, DeliveryLogController],
  // The status log's owner check reads which client submitted a dossier from its contacts.
  exports: [DirectoryRepository],
  providers: [
    RecordContactsHandler,
    RecordSubscriptionHandler,
    PlanNotificationsHandler,
    SendDeliveryHandler,
    SendDeliveryProcessor,
    ReconcileDeliveriesHandler,
    ReconcileDeliveriesSchedule,
    {
      provide: RECONCILE_SETTINGS,
      useFactory: (env: NotificationEnv): ReconcileSettings => ({
        intervalMs: env.DELIVERY_RECONCILE_INTERVAL_MS,
        windowMs: env.DELIVERY_RECONCILE_WINDOW_MS,
      }),
      inject: [NotificationEnv],
    },
    DeliveryMetrics,
    OutboxSweeperHost,
    MongoDirectoryRepository,
    MongoDeliveryRepository,
    { provide: DirectoryRepository, useExisting: MongoDirectoryRepository },
    { provide: DeliveryRepository, useExisting: MongoDeliveryRepository },
    {
      provide: DeliveryQueue,
      useFactory: (env: NotificationEnv) =>
        new BullmqDeliveryQueue(env.REDIS_URL, {
          queueName: env.DELIVERY_QUEUE,
          attempts: env.DELIVERY_ATTEMPTS,
          backoffMs: env.DELIVERY_BACKOFF_MS,
        }),
      inject: [NotificationEnv],
    },
    {
      provide: DELIVERY_WORKER_SETTINGS,
      useFactory: (env: NotificationEnv): DeliveryWorkerSettings => ({
        redisUrl: env.REDIS_URL,
        queueName: env.DELIVERY_QUEUE,
        attempts: env.DELIVERY_ATTEMPTS,
        backoffMs: env.DELIVERY_BACKOFF_MS,
        concurrency: env.DELIVERY_CONCURRENCY,
        lockMs: env.DELIVERY_LOCK_MS,
      }),
      inject: [NotificationEnv],
    },
    {
      provide: SmsGatewaySender,
      useFactory: (env: NotificationEnv) => new SmsGatewaySender(smsProviders(env), env.PROVIDER_TIMEOUT_MS),
      inject: [NotificationEnv],
    },
    {
      provide: ZaloZnsSender,
      useFactory: (env: NotificationEnv) =>
        new ZaloZnsSender(env.ZALO_ZNS_URL, env.ZALO_ACCESS_TOKEN, env.PROVIDER_TIMEOUT_MS),
      inject: [NotificationEnv],
    },
    {
      provide: SmtpSender,
      useFactory: (env: NotificationEnv) =>
        new SmtpSender({
          host: env.SMTP_HOST,
          port: env.SMTP_PORT,
          from: env.MAIL_FROM,
          timeoutMs: env.PROVIDER_TIMEOUT_MS,
        }),
      inject: [NotificationEnv],
    },
    {
      provide: WebhookSender,
      useFactory: (env: NotificationEnv) =>
        new WebhookSender(new TargetGuard(allowLoopbackWebhookTargets(env)), env.PROVIDER_TIMEOUT_MS),
      inject: [NotificationEnv],
    },
    {
      provide: ChannelSenders,
      useFactory: (...all: [SmsGatewaySender, ZaloZnsSender, SmtpSender, WebhookSender]): ChannelSenders => ({ all }),
      inject: [SmsGatewaySender, ZaloZnsSender, SmtpSender, WebhookSender],
    },
    {
      provide: OUTBOX_SWEEP_INTERVAL_MS,
      useFactory: (env: NotificationEnv) => env.OUTBOX_SWEEP_INTERVAL_MS,
      inject: [NotificationEnv],
    },
    { provide: DeliveryEventsRelay, useExisting: OUTBOX_RELAY },
    {
      provide: OUTBOX_RELAY,
      useFactory: (repository: MongoDeliveryRepository, publisher: KafkaPublisher) =>
        new OutboxRelay(
          new MongoOutboxStore(repository.outcomes as unknown as mongo.Collection, '_id'),
          publisher,
          Topics.DeliveryEvents,
        ),
      inject: [MongoDeliveryRepository, KafkaPublisher],
    },
  ],
})
export class DeliveryModule {}
