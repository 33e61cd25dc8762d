export * from './mongo-connection';
export * from './plain';
export * from './mongo-outbox-store';
