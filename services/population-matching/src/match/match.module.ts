import { Module } from '@nestjs/common';
import { MatchController } from './entrypoints/http/match.controller';
import { DossierEventsConsumer } from './entrypoints/kafka/dossier-events.consumer';
import { MongoVerificationRequestRepository } from './infrastructure/mongo/mongo-verification-request.repository';

@Module({
  controllers: [MatchController, DossierEventsConsumer],
  providers: [MongoVerificationRequestRepository],
})
export class MatchModule {}
