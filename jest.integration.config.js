// Integration tier: the real local Kafka, FerretDB and Redis (deploy/local/infra.sh up). Fails when they are down.
module.exports = require('./tools/jest-base.cjs')({
  displayName: 'integration',
  // test/security: the attack suite against the four services composed in-process (docs/security.md).
  testMatch: [
    '<rootDir>/{services,libs,deploy/sandboxes}/**/*.integration-spec.ts',
    '<rootDir>/test/security/**/*.integration-spec.ts',
  ],
  testTimeout: 60_000,
  maxWorkers: 2,
});
