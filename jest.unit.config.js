// Unit tier: next to the code, nothing external (in-memory fakes of ports only).
module.exports = require('./tools/jest-base.cjs')({
  displayName: 'unit',
  testMatch: [
    '<rootDir>/{services,libs,contracts,deploy/sandboxes}/**/*.spec.ts',
    '<rootDir>/test/lint/**/*.spec.ts',
    '<rootDir>/test/clock/**/*.spec.ts',
  ],
});
