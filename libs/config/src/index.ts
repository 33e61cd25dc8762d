export * from './load-config';
export * from './service-env';
export * from './to-boolean';
