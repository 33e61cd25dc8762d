import { Module } from '@nestjs/common';
import { StatusModule } from './status/status.module';

/** Composition root of notification (config and infrastructure are added by runHybridService). */
@Module({ imports: [StatusModule] })
export class AppModule {}
