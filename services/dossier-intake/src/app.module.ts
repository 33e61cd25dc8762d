import { Module } from '@nestjs/common';
import { ClientModule } from './client/client.module';
import { DossierModule } from './dossier/dossier.module';
import { RateLimitModule } from './rate-limit/rate-limit.module';

/** Composition root of dossier-intake (config and infrastructure are added by runHybridService). */
@Module({ imports: [RateLimitModule, DossierModule, ClientModule] })
export class AppModule {}
