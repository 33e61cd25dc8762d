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
  consumes: Topics.CaseEvents,
  appModule: AppModule,
  openApi: {
    title: 'Liên Thông notification API',
    description: 'Citizen messages and intake-system webhooks about dossier status changes.',
    version: '1',
  },
});
