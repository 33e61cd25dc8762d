import path from 'node:path';
import { Module } from '@nestjs/common';
import type { mongo } from 'mongoose';
import { AuthModule } from '@lienthong/auth';
import { createFileStore, FileStore } from '@lienthong/file-store';
import { Clock, SystemClock } from '@lienthong/kernel';
import { KafkaPublisher, OutboxRelay, Topics } from '@lienthong/messaging';
import { MongoOutboxStore } from '@lienthong/persistence';
import { OUTBOX_RELAY, OUTBOX_SWEEP_INTERVAL_MS, OutboxSweeperHost } from '@lienthong/runtime';
import { loadReferenceData, type ReferenceData } from '@lienthong/statutory-clock';
import { RegistrationOfficeEnv } from '../config/registration-office.env';
import { ApplyDossierEventHandler } from './application/apply-dossier-event/apply-dossier-event.handler';
import { ATTACHMENT_MAX_BYTES, CaseAttachmentsHandler } from './application/attachments/case-attachments.handler';
import { CaseNames } from './application/case-names';
import { CaseStore } from './application/case-store';
import { CLAIM_LEASE_MINUTES, ClaimCaseHandler } from './application/claim-case/claim-case.handler';
import { DashboardHandler } from './application/dashboard/dashboard.handler';
import { GetCaseHandler } from './application/get-case/get-case.handler';
import { MoveCaseHandler } from './application/move-case/move-case.handler';
import { ReceiveCaseHandler } from './application/receive-case/receive-case.handler';
import { ReceiveImportedCaseHandler } from './application/receive-case/receive-imported-case.handler';
import { RecordMatchHandler } from './application/record-match/record-match.handler';
import { TransitionCaseHandler } from './application/transition-case/transition-case.handler';
import { ALERT_POLICY, CLOCK_WATCH_INTERVAL_MS, ClockWatch } from './application/watch-clock/clock-watch';
import { WorklistHandler } from './application/worklist/worklist.handler';
import type { AlertPolicy } from './domain/case-alerts';
import { BranchDirectory } from './domain/case-routing';
import { CaseReferenceData, CaseRepository } from './domain/case.ports';
import { AttachmentsController } from './entrypoints/http/attachments.controller';
import { CaseController } from './entrypoints/http/case.controller';
import { DossierEventsConsumer } from './entrypoints/kafka/dossier-events.consumer';
import { MatchEventsConsumer } from './entrypoints/kafka/match-events.consumer';
import { MongoCaseRepository } from './infrastructure/mongo/mongo-case.repository';
import { ProvinceBranchDirectory } from './infrastructure/reference-data/province-branch-directory';
import { ReferenceDataNames } from './infrastructure/reference-data/reference-data-names';
import { ReferenceDataRules } from './infrastructure/reference-data/reference-data-rules';

/** DI token of the reference data, read and checked once at start (a broken file stops the service). */
const REFERENCE_DATA = Symbol('REFERENCE_DATA');

@Module({
  imports: [AuthModule],
  controllers: [CaseController, AttachmentsController, DossierEventsConsumer, MatchEventsConsumer],
  providers: [
    ReceiveCaseHandler,
    ReceiveImportedCaseHandler,
    GetCaseHandler,
    TransitionCaseHandler,
    MoveCaseHandler,
    ClaimCaseHandler,
    WorklistHandler,
    DashboardHandler,
    ApplyDossierEventHandler,
    RecordMatchHandler,
    CaseStore,
    CaseAttachmentsHandler,
    {
      provide: FileStore,
      useFactory: (env: RegistrationOfficeEnv): FileStore => createFileStore(env),
      inject: [RegistrationOfficeEnv],
    },
    {
      provide: ATTACHMENT_MAX_BYTES,
      useFactory: (env: RegistrationOfficeEnv) => env.ATTACHMENT_MAX_BYTES,
      inject: [RegistrationOfficeEnv],
    },
    ClockWatch,
    OutboxSweeperHost,
    MongoCaseRepository,
    { provide: CaseRepository, useExisting: MongoCaseRepository },
    { provide: Clock, useClass: SystemClock },
    {
      provide: REFERENCE_DATA,
      useFactory: (env: RegistrationOfficeEnv): ReferenceData =>
        loadReferenceData(path.resolve(env.REFERENCE_DATA_ROOT), { provincesDir: env.PROVINCE_DATA_DIR || undefined }),
      inject: [RegistrationOfficeEnv],
    },
    {
      provide: CaseReferenceData,
      useFactory: (data: ReferenceData) => new ReferenceDataRules(data),
      inject: [REFERENCE_DATA],
    },
    {
      provide: BranchDirectory,
      useFactory: (data: ReferenceData) => new ProvinceBranchDirectory(data.provinces),
      inject: [REFERENCE_DATA],
    },
    {
      provide: CaseNames,
      useFactory: (data: ReferenceData) => new ReferenceDataNames(data),
      inject: [REFERENCE_DATA],
    },
    {
      provide: CLAIM_LEASE_MINUTES,
      useFactory: (env: RegistrationOfficeEnv) => env.CLAIM_LEASE_MINUTES,
      inject: [RegistrationOfficeEnv],
    },
    {
      provide: ALERT_POLICY,
      useFactory: (env: RegistrationOfficeEnv): AlertPolicy => ({
        dueSoonWorkingMinutes: env.DUE_SOON_WORKING_HOURS * 60,
        apologyExtensionWorkingDays: env.APOLOGY_EXTENSION_WORKING_DAYS,
      }),
      inject: [RegistrationOfficeEnv],
    },
    {
      provide: CLOCK_WATCH_INTERVAL_MS,
      useFactory: (env: RegistrationOfficeEnv) => env.CLOCK_WATCH_INTERVAL_MS,
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
