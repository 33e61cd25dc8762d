export * from './event-envelope';
export * from './kafka-consumer-options';
export * from './kafka-health';
export * from './kafka-publisher';
export * from './topics';
export * from './outbox';
export * from './reliable-consumer';
