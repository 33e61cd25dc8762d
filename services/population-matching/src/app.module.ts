import { Module } from '@nestjs/common';
import { MatchModule } from './match/match.module';

/** Composition root of population-matching (config and infrastructure are added by runHybridService). */
@Module({ imports: [MatchModule] })
export class AppModule {}
