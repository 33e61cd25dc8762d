import './instrumentation';
import 'reflect-metadata';
import { ServiceNames, Topics } from '@lienthong/messaging';
import { runHybridService } from '@lienthong/runtime';
import { AppModule } from './app.module';
import { RegistrationOfficeEnv } from './config/registration-office.env';

runHybridService({
  name: ServiceNames.RegistrationOffice,
  envClass: RegistrationOfficeEnv,
  dbName: 'registration_office',
  consumes: Topics.DossierEvents,
  appModule: AppModule,
  openApi: {
    title: 'Liên Thông registration-office API',
    description: 'The Land Registration Office case workflow behind the back-office console.',
    version: '1',
  },
});
