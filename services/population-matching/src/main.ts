import './instrumentation';
import 'reflect-metadata';
import { ServiceNames, Topics } from '@lienthong/messaging';
import { runHybridService } from '@lienthong/runtime';
import { AppModule } from './app.module';
import { PopulationMatchingEnv } from './config/population-matching.env';

runHybridService({
  name: ServiceNames.PopulationMatching,
  envClass: PopulationMatchingEnv,
  dbName: 'population_matching',
  consumes: Topics.DossierEvents,
  appModule: AppModule,
  openApi: {
    title: 'Liên Thông population-matching API',
    description: 'Verification of the persons on a dossier against the National Population Database.',
    version: '1',
  },
});
