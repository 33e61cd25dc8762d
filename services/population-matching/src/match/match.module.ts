import { Module } from '@nestjs/common';
import type { mongo } from 'mongoose';
import path from 'node:path';
import { AuthModule } from '@lienthong/auth';
import { Clock, SystemClock } from '@lienthong/kernel';
import { KafkaPublisher, OutboxRelay, Topics } from '@lienthong/messaging';
import { MongoOutboxStore } from '@lienthong/persistence';
import { OUTBOX_RELAY, OUTBOX_SWEEP_INTERVAL_MS, OutboxSweeperHost } from '@lienthong/runtime';
import { PopulationMatchingEnv } from '../config/population-matching.env';
import { loggedLookup } from './application/logged-lookup';
import { RecordDossierHandler } from './application/record-dossier.handler';
import { ResolveReviewHandler } from './application/resolve-review.handler';
import {
  ID_PREFIXES,
  LOOKUP_CALLER,
  MATCH_THRESHOLDS,
  VerifyDossierHandler,
} from './application/verify-dossier.handler';
import { defaultThresholds, type MatchThresholds } from './domain/matching/person-match';
import {
  LookupLog,
  LookupScheduler,
  MatchEventsRelay,
  PopulationRegistry,
  RegistryHealth,
  VerificationRequests,
} from './domain/match.ports';
import { MatchController } from './entrypoints/http/match.controller';
import { ReviewController } from './entrypoints/http/review.controller';
import { BRANCH_COMMUNES } from './entrypoints/http/reviewer';
import { DossierEventsConsumer } from './entrypoints/kafka/dossier-events.consumer';
import {
  MongoLookupLog,
  MongoVerificationRequestRepository,
} from './infrastructure/mongo/mongo-verification-request.repository';
import { BullmqLookupQueue } from './infrastructure/queue/bullmq-lookup-queue';
import { loadBranchCommunes } from './infrastructure/reference-data/branch-communes';
import { loadIdPrefixes } from './infrastructure/reference-data/id-prefixes';
import { HttpPopulationRegistry } from './infrastructure/registry/http-population-registry';

@Module({
  imports: [AuthModule],
  controllers: [MatchController, ReviewController, DossierEventsConsumer],
  providers: [
    RecordDossierHandler,
    VerifyDossierHandler,
    ResolveReviewHandler,
    OutboxSweeperHost,
    MongoVerificationRequestRepository,
    MongoLookupLog,
    { provide: VerificationRequests, useExisting: MongoVerificationRequestRepository },
    { provide: LookupLog, useExisting: MongoLookupLog },
    { provide: Clock, useClass: SystemClock },
    {
      provide: PopulationRegistry,
      useFactory: (env: PopulationMatchingEnv) =>
        new HttpPopulationRegistry({
          baseUrl: env.REGISTRY_URL,
          timeoutMs: env.REGISTRY_TIMEOUT_MS,
          integrationId: env.REGISTRY_INTEGRATION_ID,
          serviceCode: env.REGISTRY_SERVICE_CODE,
        }),
      inject: [PopulationMatchingEnv],
    },
    {
      // Read and checked once at start: a broken reference file stops the service.
      provide: ID_PREFIXES,
      useFactory: (env: PopulationMatchingEnv) => loadIdPrefixes(path.resolve(env.REFERENCE_DATA_ROOT)),
      inject: [PopulationMatchingEnv],
    },
    {
      provide: MATCH_THRESHOLDS,
      useFactory: (env: PopulationMatchingEnv): MatchThresholds => ({
        ...defaultThresholds,
        matched: env.MATCH_THRESHOLD,
        review: env.REVIEW_THRESHOLD,
        deceasedNeedsReview: env.DECEASED_NEEDS_REVIEW === 'true',
      }),
      inject: [PopulationMatchingEnv],
    },
    { provide: LOOKUP_CALLER, useValue: 'population-matching' },
    {
      provide: BRANCH_COMMUNES,
      useFactory: (env: PopulationMatchingEnv) =>
        loadBranchCommunes(path.resolve(env.REFERENCE_DATA_ROOT), env.PROVINCE_DATA_DIR || undefined),
      inject: [PopulationMatchingEnv],
    },
    {
      provide: BullmqLookupQueue,
      useFactory: (
        env: PopulationMatchingEnv,
        handler: VerifyDossierHandler,
        registry: PopulationRegistry,
        log: LookupLog,
        clock: Clock,
      ) =>
        new BullmqLookupQueue(
          {
            redisUrl: env.REDIS_URL,
            prefix: env.LOOKUP_QUEUE_PREFIX,
            quota: env.REGISTRY_QUOTA,
            quotaWindowMs: env.REGISTRY_QUOTA_WINDOW_MS,
            guardMs: env.REGISTRY_RATE_GUARD_MS,
            concurrency: env.LOOKUP_CONCURRENCY,
            breaker: {
              failureThreshold: env.BREAKER_FAILURES,
              openMs: env.BREAKER_OPEN_MS,
              maxOpenMs: env.BREAKER_MAX_OPEN_MS,
            },
            retryMs: env.REGISTRY_RETRY_MS,
            work: env.LOOKUP_WORKER === 'true',
          },
          handler,
          loggedLookup(registry, log, clock),
        ),
      inject: [PopulationMatchingEnv, VerifyDossierHandler, PopulationRegistry, LookupLog, Clock],
    },
    { provide: LookupScheduler, useExisting: BullmqLookupQueue },
    {
      provide: RegistryHealth,
      useFactory: (queue: BullmqLookupQueue): RegistryHealth => ({
        degraded: () => queue.breaker.status(Date.now()).state !== 'CLOSED',
      }),
      inject: [BullmqLookupQueue],
    },
    {
      provide: OUTBOX_SWEEP_INTERVAL_MS,
      useFactory: (env: PopulationMatchingEnv) => env.OUTBOX_SWEEP_INTERVAL_MS,
      inject: [PopulationMatchingEnv],
    },
    { provide: MatchEventsRelay, useExisting: OUTBOX_RELAY },
    {
      provide: OUTBOX_RELAY,
      useFactory: (repository: MongoVerificationRequestRepository, publisher: KafkaPublisher) =>
        new OutboxRelay(
          new MongoOutboxStore(repository.requests as unknown as mongo.Collection, '_id'),
          publisher,
          Topics.MatchEvents,
        ),
      inject: [MongoVerificationRequestRepository, KafkaPublisher],
    },
  ],
})
export class MatchModule {}
