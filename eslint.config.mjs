// ESLint flat config. Module boundaries are enforced with real tags (see each project.json):
//   scope:<service> may use only its own code and scope:shared libraries, so a service never imports another;
//   type:domain code (libs/kernel and every services/*/src/**/domain/ folder) may not import frameworks or drivers.
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

const frameworkAndDrivers = ['@nestjs/*', 'mongoose', 'mongodb', 'kafkajs', 'bullmq', 'ioredis', '@aws-sdk/*'];
const services = ['dossier-intake', 'registration-office', 'population-matching', 'notification'];

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', 'dist/**', '.cache/**', 'coverage/**', '.nx/**', '**/*.js', '**/*.cjs', '**/*.mjs'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
        // Keeps consistent-type-imports from turning DI constructor types into type-only imports.
        emitDecoratorMetadata: true,
        experimentalDecorators: true,
      },
    },
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            ...services.map((s) => ({
              sourceTag: `scope:${s}`,
              onlyDependOnLibsWithTags: [`scope:${s}`, 'scope:shared'],
            })),
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            // Sandboxes stand in for external systems: they may use the shared libraries, never a service.
            { sourceTag: 'scope:sandbox', onlyDependOnLibsWithTags: ['scope:sandbox', 'scope:shared'] },
            // System tests check consistency across services (e.g. docker-compose against each env class).
            { sourceTag: 'scope:test', onlyDependOnLibsWithTags: ['*'] },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['*'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib', 'type:domain', 'type:testing'] },
            // Libraries' integration specs use the testing helpers; production code has no reason to.
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib', 'type:domain', 'type:testing'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:lib', 'type:domain'] },
            {
              sourceTag: 'type:domain',
              onlyDependOnLibsWithTags: ['type:domain'],
              bannedExternalImports: frameworkAndDrivers,
            },
          ],
        },
      ],
      // Env classes annotate every property so class-transformer sees its type in the decorator metadata.
      '@typescript-eslint/no-inferrable-types': ['error', { ignoreProperties: true }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Domain folders inside services hold pure TypeScript: state, invariants, ports.
    files: ['services/*/src/**/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: frameworkAndDrivers,
              message: 'domain/ is pure TypeScript: put framework and driver code in infrastructure/ or entrypoints/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.integration-spec.ts', '**/*.e2e-spec.ts', 'libs/testing/**/*.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  prettier,
);
