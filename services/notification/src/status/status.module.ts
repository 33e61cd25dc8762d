import { Module } from '@nestjs/common';
import { StatusLogController } from './entrypoints/http/status-log.controller';
import { CaseEventsConsumer } from './entrypoints/kafka/case-events.consumer';
import { MongoStatusLogRepository } from './infrastructure/mongo/mongo-status-log.repository';

@Module({ controllers: [StatusLogController, CaseEventsConsumer], providers: [MongoStatusLogRepository] })
export class StatusModule {}
