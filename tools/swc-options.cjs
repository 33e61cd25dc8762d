// One SWC configuration for the build (tools/build.mjs) and for Jest (@swc/jest), so tests run the code as shipped.
// Path aliases from tsconfig.base.json are rewritten to relative imports; decorators keep their metadata for NestJS.
const path = require('node:path');
const { compilerOptions } = require('../tsconfig.base.json');

const root = path.resolve(__dirname, '..');

/** @returns {import('@swc/core').Options} */
function swcOptions() {
  return {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2023',
      keepClassNames: true,
      baseUrl: root,
      paths: compilerOptions.paths,
    },
    module: { type: 'commonjs', strict: true },
    sourceMaps: 'inline',
    swcrc: false,
  };
}

module.exports = { swcOptions, root };
