import {
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { mongo } from 'mongoose';
import { AuthModule } from '@lienthong/auth';
import { Clock, SystemClock } from '@lienthong/kernel';
import { KafkaPublisher, OutboxRelay, OutboxSweeper, Topics } from '@lienthong/messaging';
import { MongoOutboxStore } from '@lienthong/persistence';
import { allowPrivateWebhookHosts, DossierIntakeEnv } from '../config/dossier-intake.env';
import { SubscribeWebhookHandler, WebhookPolicy } from './application/subscribe-webhook.handler';
import { ClientEventsRelay, ClientRepository } from './domain/client.ports';
import { WebhookSubscriptionController } from './entrypoints/http/webhook-subscription.controller';
import { MongoClientRepository } from './infrastructure/mongo-client.repository';

const CLIENT_RELAY = Symbol('CLIENT_RELAY');

/** Publishes what a crash or a broker outage left in the clients' outboxes, like the dossiers' sweeper. */
@Injectable()
class ClientOutboxSweeperHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly sweeper: OutboxSweeper;

  constructor(@Inject(CLIENT_RELAY) relay: OutboxRelay, env: DossierIntakeEnv) {
    const logger = new Logger('ClientOutbox');
    this.sweeper = new OutboxSweeper(relay, env.OUTBOX_SWEEP_INTERVAL_MS, (e) =>
      logger.warn(`sweep failed: ${String(e)}`),
    );
  }

  onApplicationBootstrap(): void {
    this.sweeper.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sweeper.stop();
  }
}

/** The intake systems' own settings: the status-change webhook (`dossier-intake.client.events.v1`). */
@Module({
  imports: [AuthModule],
  controllers: [WebhookSubscriptionController],
  providers: [
    SubscribeWebhookHandler,
    ClientOutboxSweeperHost,
    MongoClientRepository,
    { provide: ClientRepository, useExisting: MongoClientRepository },
    { provide: Clock, useClass: SystemClock },
    {
      provide: WebhookPolicy,
      useFactory: (env: DossierIntakeEnv): WebhookPolicy => ({ allowPrivateHosts: allowPrivateWebhookHosts(env) }),
      inject: [DossierIntakeEnv],
    },
    {
      provide: CLIENT_RELAY,
      useFactory: (repository: MongoClientRepository, publisher: KafkaPublisher) =>
        new OutboxRelay(
          new MongoOutboxStore(repository.clients as unknown as mongo.Collection, '_id'),
          publisher,
          Topics.ClientEvents,
        ),
      inject: [MongoClientRepository, KafkaPublisher],
    },
    { provide: ClientEventsRelay, useExisting: CLIENT_RELAY },
  ],
})
export class ClientModule {}
