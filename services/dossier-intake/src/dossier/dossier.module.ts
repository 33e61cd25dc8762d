import { Module } from '@nestjs/common';
import type { mongo } from 'mongoose';
import { Clock, SystemClock } from '@lienthong/kernel';
import { loadReferenceData } from '@lienthong/statutory-clock';
import path from 'node:path';
import { KafkaPublisher, OutboxRelay, Topics } from '@lienthong/messaging';
import { MongoOutboxStore } from '@lienthong/persistence';
import { OUTBOX_RELAY, OUTBOX_SWEEP_INTERVAL_MS, OutboxSweeperHost } from '@lienthong/runtime';
import { DossierIntakeEnv, receivingAgencies } from '../config/dossier-intake.env';
import { DossierEventsRelay } from './application/dossier-events-relay';
import { ReceivingAgencies } from './application/receiving-agencies';
import { StatutorySchedule } from './application/statutory-schedule';
import { GetDossierHandler } from './application/get-dossier/get-dossier.handler';
import { RecordCaseEventHandler } from './application/record-case-event/record-case-event.handler';
import { SubmitDossierHandler } from './application/submit-dossier/submit-dossier.handler';
import { DossierCodeCounter, DossierRepository } from './domain/dossier.ports';
import { DossierController } from './entrypoints/http/dossier.controller';
import { CaseEventsConsumer } from './entrypoints/kafka/case-events.consumer';
import { MongoDossierCodeCounter, MongoDossierRepository } from './infrastructure/mongo/mongo-dossier.repository';
import { ReferenceDataSchedule } from './infrastructure/reference-data/reference-data-schedule';

@Module({
  controllers: [DossierController, CaseEventsConsumer],
  providers: [
    SubmitDossierHandler,
    GetDossierHandler,
    RecordCaseEventHandler,
    OutboxSweeperHost,
    MongoDossierRepository,
    { provide: DossierRepository, useExisting: MongoDossierRepository },
    { provide: DossierCodeCounter, useClass: MongoDossierCodeCounter },
    { provide: Clock, useClass: SystemClock },
    {
      // Read and checked once at start: a broken reference file stops the service with the file and the problem.
      provide: StatutorySchedule,
      useFactory: (env: DossierIntakeEnv) =>
        new ReferenceDataSchedule(loadReferenceData(path.resolve(env.REFERENCE_DATA_ROOT))),
      inject: [DossierIntakeEnv],
    },
    {
      provide: ReceivingAgencies,
      useFactory: (env: DossierIntakeEnv): ReceivingAgencies => {
        const agencies = receivingAgencies(env);
        return { agencyFor: (commune) => agencies.get(commune) };
      },
      inject: [DossierIntakeEnv],
    },
    {
      provide: OUTBOX_SWEEP_INTERVAL_MS,
      useFactory: (env: DossierIntakeEnv) => env.OUTBOX_SWEEP_INTERVAL_MS,
      inject: [DossierIntakeEnv],
    },
    { provide: DossierEventsRelay, useExisting: OUTBOX_RELAY },
    {
      provide: OUTBOX_RELAY,
      useFactory: (repository: MongoDossierRepository, publisher: KafkaPublisher) =>
        new OutboxRelay(
          new MongoOutboxStore(repository.dossiers as unknown as mongo.Collection, '_id'),
          publisher,
          Topics.DossierEvents,
        ),
      inject: [MongoDossierRepository, KafkaPublisher],
    },
  ],
})
export class DossierModule {}
