import './instrumentation';
import 'reflect-metadata';
import { ServiceNames, Topics } from '@lienthong/messaging';
import { runHybridService } from '@lienthong/runtime';
import { AppModule } from './app.module';
import { DossierIntakeEnv } from './config/dossier-intake.env';

runHybridService({
  name: ServiceNames.DossierIntake,
  envClass: DossierIntakeEnv,
  dbName: 'dossier_intake',
  consumes: Topics.CaseEvents,
  appModule: AppModule,
  openApi: {
    title: 'Liên Thông dossier-intake API',
    description: 'The API that one-stop intake systems call to hand over land dossiers and follow them.',
    version: '1',
  },
});
