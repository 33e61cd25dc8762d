export * from './event-types';
export * from './event-validation';
export * from './generated';
export * from './invalid-payload.error';
