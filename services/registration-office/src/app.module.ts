import { Module } from '@nestjs/common';
import { CaseModule } from './case/case.module';
import { ConsoleController } from './console/console.controller';

/** Composition root of registration-office (config and infrastructure are added by runHybridService). */
@Module({ imports: [CaseModule], controllers: [ConsoleController] })
export class AppModule {}
