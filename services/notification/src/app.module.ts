import { Module } from '@nestjs/common';
import { DeliveryModule } from './delivery/delivery.module';
import { StatusModule } from './status/status.module';

/** Composition root of notification (config and infrastructure are added by runHybridService). */
@Module({ imports: [StatusModule, DeliveryModule] })
export class AppModule {}
