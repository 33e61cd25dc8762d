import './instrumentation';
import 'reflect-metadata';
import { ServiceNames, Topics } from '@lienthong/messaging';
import { runHybridService } from '@lienthong/runtime';
import { AppModule } from './app.module';
import { DossierIntakeEnv } from './config/dossier-intake.env';
import { vbdlisTiepNhanPath } from './dossier/entrypoints/http/vbdlis/vbdlis-body.guard';
import { intakeOpenApiInfo } from './openapi';

runHybridService({
  name: ServiceNames.DossierIntake,
  envClass: DossierIntakeEnv,
  dbName: 'dossier_intake',
  consumes: Topics.CaseEvents,
  appModule: AppModule,
  openApi: intakeOpenApiInfo,
  // The VBDLIS route reads its own, larger body (attachments in base64; VbdlisBodyGuard).
  ownJsonBodies: [vbdlisTiepNhanPath],
});
