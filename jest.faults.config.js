// Fault tier: services as processes on the real Kafka and FerretDB, with crashes, broker restarts and poison
// messages. Bounded in count and time; run by `npm test` after the journeys (and alone by `npm run test:faults`).
module.exports = require('./tools/jest-base.cjs')({
  displayName: 'faults',
  testMatch: ['<rootDir>/test/faults/**/*.fault-spec.ts'],
  testTimeout: 420_000,
  maxWorkers: 1,
  testSequencer: '<rootDir>/tools/fault-order.cjs',
  // kafkajs clients of the test process keep reconnect timers after a broker stop/restart; the suite has ended when
  // its tests have, and `npm test` must not hang on them.
  forceExit: true,
});
