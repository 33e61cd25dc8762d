export * from './kafka-test-consumer';
export * from './service-process';
export * from './wait-for';
export * from './dev-token';
export * from './sandbox-process';
