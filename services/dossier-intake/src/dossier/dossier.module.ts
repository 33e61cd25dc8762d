import { Module } from '@nestjs/common';
import type { mongo } from 'mongoose';
import { AuthModule } from '@lienthong/auth';
import { Clock, SystemClock } from '@lienthong/kernel';
import { loadReferenceData, type ReferenceData } from '@lienthong/statutory-clock';
import path from 'node:path';
import { KafkaPublisher, OutboxRelay, Topics } from '@lienthong/messaging';
import { MongoOutboxStore } from '@lienthong/persistence';
import { OUTBOX_RELAY, OUTBOX_SWEEP_INTERVAL_MS, OutboxSweeperHost } from '@lienthong/runtime';
import { DossierIntakeEnv, documentUrlHosts, receivingAgencies } from '../config/dossier-intake.env';
import { AnswerSupplementHandler } from './application/answer-supplement/answer-supplement.handler';
import { ReadDocumentHandler } from './application/read-document/read-document.handler';
import { DossierDocumentsController } from './entrypoints/http/dossier-documents.controller';
import { DossierChanges } from './application/change-dossier/dossier-changes';
import { DossierEventsRelay } from './application/dossier-events-relay';
import { ReceivingAgencies } from './application/receiving-agencies';
import { RequestKeys } from './application/request-keys/request-keys';
import { StatutorySchedule } from './application/statutory-schedule';
import { GetDossierHandler } from './application/get-dossier/get-dossier.handler';
import { ListDossiersHandler } from './application/list-dossiers/list-dossiers.handler';
import { RecordCaseEventHandler } from './application/record-case-event/record-case-event.handler';
import { SubmitDossierHandler } from './application/submit-dossier/submit-dossier.handler';
import { WithdrawDossierHandler } from './application/withdraw-dossier/withdraw-dossier.handler';
import { DossierCodeCounter, DossierRepository } from './domain/dossier.ports';
import { DossierController } from './entrypoints/http/dossier.controller';
import { FilesController } from './entrypoints/http/files.controller';
import { ImportBacklogController } from './entrypoints/http/import-backlog.controller';
import { ImportBacklogHandler } from './application/import-backlog/import-backlog.handler';
import { CaseEventsConsumer } from './entrypoints/kafka/case-events.consumer';
import { MongoDossierCodeCounter, MongoDossierRepository } from './infrastructure/mongo/mongo-dossier.repository';
import { MongoRequestKeys } from './infrastructure/mongo/mongo-request-keys';
import { ReferenceDataLookups } from './infrastructure/reference-data/reference-data-lookups';
import { ReferenceDataSchedule } from './infrastructure/reference-data/reference-data-schedule';
import { ReferenceLookups } from './domain/submission-rules';
import { createFileStore, FileStore } from '@lienthong/file-store';
import { ReceiveTiepNhanHandler } from './application/receive-tiepnhan/receive-tiepnhan.handler';
import { parseProcedureTable } from './entrypoints/http/vbdlis/vbdlis-mapping';
import { VBDLIS_PROCEDURES, VbdlisController } from './entrypoints/http/vbdlis/vbdlis.controller';
import { DocumentSource } from './application/document-source';
import { DocumentLimits } from './application/document-limits';
import {
  defaultVbdlisBodyLimits,
  VBDLIS_BODY_LIMITS,
  VbdlisBodyGuard,
  type VbdlisBodyLimits,
} from './entrypoints/http/vbdlis/vbdlis-body.guard';
import { HttpDocumentSource } from './infrastructure/files/http-document-source';

const REFERENCE_DATA = Symbol('REFERENCE_DATA');

/** Handlers and entry points of the dossier, without their adapters (shared with the OpenAPI generator). */
export const dossierControllers = [
  DossierController,
  DossierDocumentsController,
  FilesController,
  ImportBacklogController,
  VbdlisController,
  CaseEventsConsumer,
];
export const dossierHandlers = [
  SubmitDossierHandler,
  GetDossierHandler,
  ReadDocumentHandler,
  ListDossiersHandler,
  AnswerSupplementHandler,
  WithdrawDossierHandler,
  RecordCaseEventHandler,
  DossierChanges,
  ReceiveTiepNhanHandler,
  ImportBacklogHandler,
];

@Module({
  imports: [AuthModule],
  controllers: dossierControllers,
  providers: [
    ...dossierHandlers,
    OutboxSweeperHost,
    MongoDossierRepository,
    { provide: DossierRepository, useExisting: MongoDossierRepository },
    { provide: DossierCodeCounter, useClass: MongoDossierCodeCounter },
    { provide: RequestKeys, useClass: MongoRequestKeys },
    { provide: Clock, useClass: SystemClock },
    {
      provide: FileStore,
      useFactory: (env: DossierIntakeEnv) => createFileStore(env),
      inject: [DossierIntakeEnv],
    },
    {
      provide: DocumentLimits,
      useFactory: (env: DossierIntakeEnv) => new DocumentLimits(env.MAX_DOCUMENT_BYTES, env.MAX_DOCUMENTS_PER_DOSSIER),
      inject: [DossierIntakeEnv],
    },
    {
      provide: VBDLIS_BODY_LIMITS,
      useFactory: (env: DossierIntakeEnv): VbdlisBodyLimits => ({
        ...defaultVbdlisBodyLimits,
        maxBodyBytes: env.VBDLIS_MAX_BODY_BYTES,
        largeBodies: env.VBDLIS_LARGE_BODIES,
      }),
      inject: [DossierIntakeEnv],
    },
    VbdlisBodyGuard,
    {
      // Documents given as URLs: allow-listed hosts only; plain http to 127.0.0.1 only in development.
      provide: DocumentSource,
      useFactory: (env: DossierIntakeEnv) =>
        new HttpDocumentSource({
          allowedHosts: documentUrlHosts(env),
          allowLoopbackHttp: env.LIENTHONG_ENV === 'development',
          timeoutMs: env.DOCUMENT_FETCH_TIMEOUT_MS,
        }),
      inject: [DossierIntakeEnv],
    },
    {
      provide: VBDLIS_PROCEDURES,
      useFactory: (env: DossierIntakeEnv) => parseProcedureTable(env.VBDLIS_PROCEDURE_MAP),
      inject: [DossierIntakeEnv],
    },
    {
      // Read and checked once at start: a broken reference file stops the service with the file and the problem.
      provide: REFERENCE_DATA,
      useFactory: (env: DossierIntakeEnv): ReferenceData =>
        loadReferenceData(path.resolve(env.REFERENCE_DATA_ROOT), { provincesDir: env.PROVINCE_DATA_DIR || undefined }),
      inject: [DossierIntakeEnv],
    },
    {
      provide: StatutorySchedule,
      useFactory: (data: ReferenceData) => new ReferenceDataSchedule(data),
      inject: [REFERENCE_DATA],
    },
    {
      provide: ReferenceLookups,
      useFactory: (data: ReferenceData) => new ReferenceDataLookups(data),
      inject: [REFERENCE_DATA],
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
