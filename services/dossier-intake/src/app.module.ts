import { Module } from '@nestjs/common';
import { DossierModule } from './dossier/dossier.module';

/** Composition root of dossier-intake (config and infrastructure are added by runHybridService). */
@Module({ imports: [DossierModule] })
export class AppModule {}
