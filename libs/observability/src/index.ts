export * from './json-logger';
export * from './span-attributes';
export * from './telemetry';
