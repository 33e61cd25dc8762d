// Journey tier: the four services as separate processes, black box through HTTP, Kafka and Zipkin's API.
module.exports = require('./tools/jest-base.cjs')({
  displayName: 'journey',
  testMatch: ['<rootDir>/test/journeys/**/*.e2e-spec.ts'],
  testTimeout: 180_000,
  maxWorkers: 1,
});
