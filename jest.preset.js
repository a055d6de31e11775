// Shared Jest configuration: SWC transpiles TypeScript (with Nest's decorator metadata),
// and @lakemirror/* imports resolve to the libs' sources.
// kind "unit" runs *.spec.ts (no servers); kind "integration" runs *.integration-spec.ts
// against the local environment (scripts/env-up.sh).
const path = require('node:path');
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [`^${alias.replace('/', '\\/')}$`, path.join(__dirname, target)]),
);

function jestConfig(projectDir, kind) {
  const integration = kind === 'integration';
  return {
    displayName: `${path.basename(projectDir)}:${kind}`,
    rootDir: projectDir,
    testEnvironment: 'node',
    testMatch: integration ? ['<rootDir>/**/*.integration-spec.ts'] : ['<rootDir>/**/*.spec.ts'],
    transform: {
      '^.+\\.ts$': [
        '@swc/jest',
        {
          jsc: {
            parser: { syntax: 'typescript', decorators: true },
            transform: { legacyDecorator: true, decoratorMetadata: true },
            target: 'es2022',
          },
          module: { type: 'commonjs' },
        },
      ],
    },
    moduleNameMapper,
    testTimeout: integration ? 120_000 : 10_000,
    reporters: ['default', [path.join(__dirname, 'tools/jest/results-reporter.js'), { name: `${path.basename(projectDir)}-${kind}` }]],
    setupFiles: integration ? [path.join(__dirname, 'libs/testing/src/load-env.setup.js')] : [],
  };
}

module.exports = { jestConfig };
