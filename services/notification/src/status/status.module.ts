import { Module } from '@nestjs/common';
import { AuthModule } from '@lienthong/auth';
import { DeliveryModule } from '../delivery/delivery.module';
import { StatusLogController } from './entrypoints/http/status-log.controller';
import { CaseEventsConsumer } from './entrypoints/kafka/case-events.consumer';
import { MongoStatusLogRepository } from './infrastructure/mongo/mongo-status-log.repository';

@Module({
  imports: [AuthModule, DeliveryModule],
  controllers: [StatusLogController, CaseEventsConsumer],
  providers: [MongoStatusLogRepository],
})
export class StatusModule {}
