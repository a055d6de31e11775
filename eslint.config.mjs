import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import nx from '@nx/eslint-plugin';

// Apps depend on libs, libs only on libs. Production code imports only runtime libs (never the
// testing libs); tests may import anything. The rule on production code looks at direct imports:
// Nx's graph also holds the test files' imports, so every lib "depends" on testing through them.
const layering = [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
];
const boundaries = (extra) => ['error', { allow: [], depConstraints: [...layering, ...extra] }];

export default [
  { ignores: ['**/node_modules/**', '**/dist/**', '.nx/**', '.lakemirror/**', '**/*.js', '**/*.cjs', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-duplicate-imports': ['error', { allowSeparateTypeImports: true }],
      '@nx/enforce-module-boundaries': boundaries([{ sourceTag: 'scope:runtime', onlyDependOnLibsWithTags: ['scope:runtime'] }]),
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.integration-spec.ts', '**/*.fixture.ts', '**/*.bench.ts'],
    rules: { '@nx/enforce-module-boundaries': boundaries([]) },
  },
];
