import { Module } from '@nestjs/common';
import type { mongo } from 'mongoose';
import { Clock, SystemClock } from '@lienthong/kernel';
import { KafkaPublisher, OutboxRelay, Topics } from '@lienthong/messaging';
import { MongoOutboxStore } from '@lienthong/persistence';
import { OUTBOX_RELAY, OUTBOX_SWEEP_INTERVAL_MS, OutboxSweeperHost } from '@lienthong/runtime';
import { branchByCommune, RegistrationOfficeEnv } from '../config/registration-office.env';
import { GetCaseHandler } from './application/get-case/get-case.handler';
import { BranchDirectory, ReceiveCaseHandler } from './application/receive-case/receive-case.handler';
import { CaseRepository } from './domain/case.ports';
import { CaseController } from './entrypoints/http/case.controller';
import { DossierEventsConsumer } from './entrypoints/kafka/dossier-events.consumer';
import { MongoCaseRepository } from './infrastructure/mongo/mongo-case.repository';

@Module({
  controllers: [CaseController, DossierEventsConsumer],
  providers: [
    ReceiveCaseHandler,
    GetCaseHandler,
    OutboxSweeperHost,
    MongoCaseRepository,
    { provide: CaseRepository, useExisting: MongoCaseRepository },
    { provide: Clock, useClass: SystemClock },
    {
      provide: BranchDirectory,
      useFactory: (env: RegistrationOfficeEnv): BranchDirectory => {
        const branches = branchByCommune(env);
        return { branchFor: (commune) => branches.get(commune) };
      },
      inject: [RegistrationOfficeEnv],
    },
    {
      provide: OUTBOX_SWEEP_INTERVAL_MS,
      useFactory: (env: RegistrationOfficeEnv) => env.OUTBOX_SWEEP_INTERVAL_MS,
      inject: [RegistrationOfficeEnv],
    },
    {
      provide: OUTBOX_RELAY,
      useFactory: (repository: MongoCaseRepository, publisher: KafkaPublisher) =>
        new OutboxRelay(
          new MongoOutboxStore(repository.cases as unknown as mongo.Collection, '_id'),
          publisher,
          Topics.CaseEvents,
        ),
      inject: [MongoCaseRepository, KafkaPublisher],
    },
  ],
})
export class CaseModule {}
