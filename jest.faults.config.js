// Fault tier: services as processes on the real Kafka and FerretDB, with crashes, broker restarts and poison
// messages. Bounded in count and time; run by `npm test` after the journeys.
module.exports = require('./tools/jest-base.cjs')({
  displayName: 'faults',
  testMatch: ['<rootDir>/test/faults/**/*.fault-spec.ts'],
  testTimeout: 420_000,
  maxWorkers: 1,
});
