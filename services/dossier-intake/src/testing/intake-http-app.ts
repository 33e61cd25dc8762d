import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AuthModule } from '@lienthong/auth';
import { Clock, FixedClock } from '@lienthong/kernel';
import { createValidationPipe, jsonBodyParserOptions, ProblemDetailsFilter } from '@lienthong/runtime';
import { loadReferenceData } from '@lienthong/statutory-clock';
import { SubscribeWebhookHandler, WebhookPolicy } from '../client/application/subscribe-webhook.handler';
import { ClientEventsRelay, ClientRepository, type ClientSettings } from '../client/domain/client.ports';
import { WebhookSubscriptionController } from '../client/entrypoints/http/webhook-subscription.controller';
import { AnswerSupplementHandler } from '../dossier/application/answer-supplement/answer-supplement.handler';
import { DossierChanges } from '../dossier/application/change-dossier/dossier-changes';
import { DossierEventsRelay } from '../dossier/application/dossier-events-relay';
import { GetDossierHandler } from '../dossier/application/get-dossier/get-dossier.handler';
import { ListDossiersHandler } from '../dossier/application/list-dossiers/list-dossiers.handler';
import { ReceivingAgencies } from '../dossier/application/receiving-agencies';
import { RequestKeys } from '../dossier/application/request-keys/request-keys';
import { StatutorySchedule } from '../dossier/application/statutory-schedule';
import { SubmitDossierHandler } from '../dossier/application/submit-dossier/submit-dossier.handler';
import { WithdrawDossierHandler } from '../dossier/application/withdraw-dossier/withdraw-dossier.handler';
import { DossierCodeCounter, DossierRepository } from '../dossier/domain/dossier.ports';
import { ReferenceLookups } from '../dossier/domain/submission-rules';
import { DossierController } from '../dossier/entrypoints/http/dossier.controller';
import { FilesController } from '../dossier/entrypoints/http/files.controller';
import { ImportBacklogController } from '../dossier/entrypoints/http/import-backlog.controller';
import { ImportBacklogHandler } from '../dossier/application/import-backlog/import-backlog.handler';
import { FileStore, FsFileStore } from '@lienthong/file-store';
import { ReceiveTiepNhanHandler } from '../dossier/application/receive-tiepnhan/receive-tiepnhan.handler';
import { parseProcedureTable } from '../dossier/entrypoints/http/vbdlis/vbdlis-mapping';
import { VBDLIS_PROCEDURES, VbdlisController } from '../dossier/entrypoints/http/vbdlis/vbdlis.controller';
import { DocumentSource } from '../dossier/application/document-source';
import { HttpDocumentSource } from '../dossier/infrastructure/files/http-document-source';
import { NoRateLimit, RateLimiter } from '../rate-limit/application/rate-limiter';
import { ClientRateLimitGuard } from '../rate-limit/entrypoints/http/client-rate-limit.guard';
import {
  InMemoryDossierCodeCounter,
  InMemoryDossierRepository,
} from '../dossier/infrastructure/in-memory/in-memory-dossier.repository';
import { InMemoryRequestKeys } from '../dossier/infrastructure/in-memory/in-memory-request-keys';
import { ReferenceDataLookups } from '../dossier/infrastructure/reference-data/reference-data-lookups';
import { ReferenceDataSchedule } from '../dossier/infrastructure/reference-data/reference-data-schedule';
import { DocumentLimits } from '../dossier/application/document-limits';
import {
  defaultVbdlisBodyLimits,
  VBDLIS_BODY_LIMITS,
  VbdlisBodyGuard,
  vbdlisTiepNhanPath,
  type VbdlisBodyLimits,
} from '../dossier/entrypoints/http/vbdlis/vbdlis-body.guard';

const referenceData = loadReferenceData(path.resolve(__dirname, '../../../..'));

/** Client settings in memory. */
export class InMemoryClientRepository extends ClientRepository {
  readonly rows = new Map<string, { settings: ClientSettings; outbox: unknown[] }>();
  override find(clientId: string): Promise<ClientSettings | null> {
    return Promise.resolve(structuredClone(this.rows.get(clientId)?.settings ?? null));
  }
  override save(settings: ClientSettings, expectedVersion: number, outbox: readonly unknown[]): Promise<boolean> {
    const row = this.rows.get(settings.clientId);
    if ((row?.settings.version ?? 0) !== expectedVersion) return Promise.resolve(false);
    this.rows.set(settings.clientId, {
      settings: structuredClone(settings),
      outbox: [...(row?.outbox ?? []), ...outbox],
    });
    return Promise.resolve(true);
  }
}

export interface IntakeHttpApp<R extends DossierRepository = InMemoryDossierRepository> {
  app: INestApplication;
  baseUrl: string;
  dossiers: R;
  clients: InMemoryClientRepository;
  close(): Promise<void>;
}

/**
 * The service's real HTTP stack (controllers, guards with the development keys, the validation pipe, problem
 * details, the 1 MB body limit) over in-memory stores (or the given dossier stores, e.g. the MongoDB ones),
 * listening on a free loopback port: for tests of what the API answers and what it stores. Kafka is not involved.
 */
export async function startIntakeHttpApp<R extends DossierRepository = InMemoryDossierRepository>(
  now = new Date(),
  stores: {
    dossiers?: R;
    counter?: DossierCodeCounter;
    fileDir?: string;
    /** The document store; by default an FsFileStore in `fileDir` (or a fresh temporary directory). */
    fileStore?: FileStore;
    /** Document and VBDLIS body limits; the service's defaults when absent. */
    limits?: { documents?: DocumentLimits; vbdlis?: Partial<VbdlisBodyLimits> };
    clock?: Clock;
    /** The per-client request budget; none by default. */
    rateLimiter?: RateLimiter;
    /** Where documents given as URLs come from; by default a source with no allowed host. */
    documentSource?: DocumentSource;
  } = {},
): Promise<IntakeHttpApp<R>> {
  const dossiers = stores.dossiers ?? (new InMemoryDossierRepository() as unknown as R);
  const clients = new InMemoryClientRepository();
  const none = { relay: () => Promise.resolve(0) };

  @Module({
    imports: [AuthModule],
    controllers: [
      DossierController,
      FilesController,
      ImportBacklogController,
      VbdlisController,
      WebhookSubscriptionController,
    ],
    providers: [
      SubmitDossierHandler,
      GetDossierHandler,
      ListDossiersHandler,
      AnswerSupplementHandler,
      WithdrawDossierHandler,
      DossierChanges,
      SubscribeWebhookHandler,
      ReceiveTiepNhanHandler,
      ImportBacklogHandler,
      ClientRateLimitGuard,
      { provide: RateLimiter, useValue: stores.rateLimiter ?? new NoRateLimit() },
      {
        provide: DocumentSource,
        useValue:
          stores.documentSource ??
          new HttpDocumentSource({ allowedHosts: new Set(), allowLoopbackHttp: false, timeoutMs: 1_000 }),
      },
      {
        provide: FileStore,
        useValue:
          stores.fileStore ?? new FsFileStore(stores.fileDir ?? path.join(tmpdir(), `intake-files-${randomUUID()}`)),
      },
      { provide: DocumentLimits, useValue: stores.limits?.documents ?? new DocumentLimits() },
      {
        provide: VBDLIS_BODY_LIMITS,
        useValue: { ...defaultVbdlisBodyLimits, ...stores.limits?.vbdlis } satisfies VbdlisBodyLimits,
      },
      VbdlisBodyGuard,
      { provide: VBDLIS_PROCEDURES, useValue: parseProcedureTable('1.013831.000.00.00.H42:1.013831:TRANSFER') },
      { provide: DossierRepository, useValue: dossiers },
      { provide: DossierCodeCounter, useValue: stores.counter ?? new InMemoryDossierCodeCounter() },
      { provide: RequestKeys, useValue: new InMemoryRequestKeys() },
      { provide: Clock, useValue: stores.clock ?? new FixedClock(now) },
      { provide: StatutorySchedule, useValue: new ReferenceDataSchedule(referenceData) },
      { provide: ReferenceLookups, useValue: new ReferenceDataLookups(referenceData) },
      {
        provide: ReceivingAgencies,
        useValue: { agencyFor: (c: string) => ({ '22657': '000.00.56.H42', '21439': '000.00.51.H55' })[c] },
      },
      { provide: DossierEventsRelay, useValue: none },
      { provide: ClientRepository, useValue: clients },
      { provide: ClientEventsRelay, useValue: none },
      { provide: WebhookPolicy, useValue: { allowPrivateHosts: false } },
    ],
  })
  class IntakeHttpTestModule {}

  const app = await NestFactory.create<NestExpressApplication>(IntakeHttpTestModule, {
    logger: false,
    bodyParser: false,
    abortOnError: false,
  });
  // As bootstrapHybridService configures it (main.ts: the VBDLIS route reads its own body).
  app.useBodyParser('json', jsonBodyParserOptions('1mb', [vbdlisTiepNhanPath]));
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, baseUrl: `http://127.0.0.1:${port}`, dossiers, clients, close: () => app.close() };
}
