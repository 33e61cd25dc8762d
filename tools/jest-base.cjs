// Shared Jest settings: SWC transform with the build's options, path aliases resolved like tsconfig.base.json.
const { swcOptions } = require('./swc-options.cjs');
const { compilerOptions } = require('../tsconfig.base.json');

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [`^${alias}$`, `<rootDir>/${target}`]),
);

/** @param {Partial<import('jest').Config>} overrides */
module.exports = (overrides) => ({
  rootDir: require('node:path').resolve(__dirname, '..'),
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['@swc/jest', swcOptions()],
    '/node_modules/jose/.+\\.js$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2023' }, module: { type: 'commonjs' }, swcrc: false },
    ],
  },
  moduleNameMapper,
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.cache/'],
  setupFiles: ['<rootDir>/tools/jest-env.cjs'],
  // jose ships only ES modules: compile it to CommonJS like the sources (Node itself loads it with require()).
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  ...overrides,
});
