export * from './bootstrap';
export * from './health';
export * from './problem-details';
export * from './redis-health';
export * from './service-infrastructure.module';
export * from './outbox-sweeper.host';
export * from './run-hybrid-service';
