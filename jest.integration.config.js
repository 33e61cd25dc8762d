// Integration tier: the real local Kafka, FerretDB and Redis (deploy/local/infra.sh up). Fails when they are down.
module.exports = require('./tools/jest-base.cjs')({
  displayName: 'integration',
  testMatch: ['<rootDir>/{services,libs,deploy/sandboxes}/**/*.integration-spec.ts'],
  testTimeout: 60_000,
  maxWorkers: 2,
});
