import './instrumentation';
import 'reflect-metadata';
import { ServiceNames, Topics } from '@lienthong/messaging';
import { runHybridService } from '@lienthong/runtime';
import { AppModule } from './app.module';
import { NotificationEnv } from './config/notification.env';

runHybridService({
  name: ServiceNames.Notification,
  envClass: NotificationEnv,
  dbName: 'notification',
  // One consumer group for every topic it reads (intake's dossier and client events, the LRO's case events).
  consumes: Topics.DossierEvents,
  appModule: AppModule,
  openApi: {
    title: 'Liên Thông notification API',
    description: 'Citizen messages and intake-system webhooks about dossier status changes.',
    version: '1',
  },
});
