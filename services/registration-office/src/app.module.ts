import { Module } from '@nestjs/common';
import { CaseModule } from './case/case.module';

/** Composition root of registration-office (config and infrastructure are added by runHybridService). */
@Module({ imports: [CaseModule] })
export class AppModule {}
