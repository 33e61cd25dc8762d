import { Module } from '@nestjs/common';
import { ClientModule } from './client/client.module';
import { DossierModule } from './dossier/dossier.module';

/** Composition root of dossier-intake (config and infrastructure are added by runHybridService). */
@Module({ imports: [DossierModule, ClientModule] })
export class AppModule {}
