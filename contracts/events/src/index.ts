export * from './case-received.v1';
export * from './dossier-submitted.v1';
export * from './invalid-payload.error';
