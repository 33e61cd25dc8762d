import { Module, type Provider } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { TokenVerifier } from '@lienthong/auth';
import { Clock } from '@lienthong/kernel';
import { openApiDocument } from '@lienthong/runtime';
import { SubscribeWebhookHandler } from './client/application/subscribe-webhook.handler';
import { WebhookSubscriptionController } from './client/entrypoints/http/webhook-subscription.controller';
import { AnswerSupplementHandler } from './dossier/application/answer-supplement/answer-supplement.handler';
import { GetDossierHandler } from './dossier/application/get-dossier/get-dossier.handler';
import { ListDossiersHandler } from './dossier/application/list-dossiers/list-dossiers.handler';
import { RequestKeys } from './dossier/application/request-keys/request-keys';
import { SubmitDossierHandler } from './dossier/application/submit-dossier/submit-dossier.handler';
import { WithdrawDossierHandler } from './dossier/application/withdraw-dossier/withdraw-dossier.handler';
import { DossierController } from './dossier/entrypoints/http/dossier.controller';
import { DossierDocumentsController } from './dossier/entrypoints/http/dossier-documents.controller';
import { ReadDocumentHandler } from './dossier/application/read-document/read-document.handler';
import { FilesController } from './dossier/entrypoints/http/files.controller';
import { FileStore } from '@lienthong/file-store';
import { ImportBacklogController } from './dossier/entrypoints/http/import-backlog.controller';
import { ImportBacklogHandler } from './dossier/application/import-backlog/import-backlog.handler';
import { ReceiveTiepNhanHandler } from './dossier/application/receive-tiepnhan/receive-tiepnhan.handler';
import { ReferenceLookups } from './dossier/domain/submission-rules';
import { VBDLIS_PROCEDURES, VbdlisController } from './dossier/entrypoints/http/vbdlis/vbdlis.controller';
import { RateLimiter } from './rate-limit/application/rate-limiter';
import { DocumentLimits } from './dossier/application/document-limits';
import { VBDLIS_BODY_LIMITS } from './dossier/entrypoints/http/vbdlis/vbdlis-body.guard';

/** Title and version of the API document, served at /docs-json and committed as contracts/http/. */
export const intakeOpenApiInfo = {
  title: 'Liên Thông dossier-intake API',
  description: 'The API that one-stop intake systems call to hand over land dossiers and follow them.',
  version: '1',
};

/** The HTTP controllers of the service: everything the document describes (health and metrics are excluded). */
const controllers = [
  DossierController,
  DossierDocumentsController,
  FilesController,
  ImportBacklogController,
  VbdlisController,
  WebhookSubscriptionController,
];
const dependencies = [
  SubmitDossierHandler,
  GetDossierHandler,
  ReadDocumentHandler,
  ListDossiersHandler,
  AnswerSupplementHandler,
  WithdrawDossierHandler,
  RequestKeys,
  Clock,
  SubscribeWebhookHandler,
  TokenVerifier,
  ReceiveTiepNhanHandler,
  ReferenceLookups,
  VBDLIS_PROCEDURES,
  ImportBacklogHandler,
  FileStore,
  RateLimiter,
  DocumentLimits,
  VBDLIS_BODY_LIMITS,
];

/**
 * The service's OpenAPI document, built from its controllers and DTOs exactly as the running service builds the one
 * it serves, without a database, a broker or keys: the collaborators and the guard are never called, so they are
 * empty.
 */
export async function intakeOpenApiDocument(): Promise<OpenAPIObject> {
  @Module({
    controllers,
    providers: dependencies.map((provide): Provider => ({ provide, useValue: {} })),
  })
  class DocumentModule {}

  const app = await NestFactory.create(DocumentModule, { logger: false, abortOnError: false });
  try {
    return openApiDocument(app, intakeOpenApiInfo);
  } finally {
    await app.close();
  }
}
