#!/usr/bin/env node
// Production bundles: `node tools/build/build.mjs <target>...` writes dist/<target>/main.js (and its
// source map) for api, scanner, verifier, promoter, cli and migrate, runnable with plain `node` next to a
// production-only node_modules (`npm ci --omit=dev`).
//
// How: esbuild bundles; every TypeScript file of the workspace is first compiled by swc, because NestJS
// and TypeORM need decorator metadata (emitDecoratorMetadata), which esbuild does not emit. swc compiles to
// CommonJS exactly as @swc-node/register does in development, so the bundle behaves like `scripts/run-app.sh`.
// Path aliases (@lakemirror/*) come from tsconfig.base.json.
//
// Third-party packages: only those on BUNDLED below go into the bundle; every other package stays an
// external `require` served by node_modules. An allow-list fails safe: a dependency added later works
// (external) instead of breaking at runtime because it reads files next to itself (swagger-ui-dist,
// @bull-board/ui), requires optional peers by name (@nestjs/*, typeorm drivers, pg-native), starts worker
// threads (pino transports), or must be one shared copy (every @nestjs/* package, rxjs, reflect-metadata).
import { readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtinModules } from 'node:module';
import * as esbuild from 'esbuild';
import swc from '@swc/core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Build targets: entry point (TypeScript) → dist/<name>/main.js. */
export const TARGETS = {
  api: 'apps/api/src/main.ts',
  scanner: 'apps/scanner/src/main.ts',
  verifier: 'apps/verifier/src/main.ts',
  promoter: 'apps/promoter/src/main.ts',
  cli: 'apps/cli/src/main.ts',
  migrate: 'libs/persistence/src/migrate.main.ts',
};

/** Packages that bundle cleanly (plain code, no files read at runtime, no shared state with external packages). */
const BUNDLED = [/^@aws-sdk\//, /^zod$/, /^protobufjs$/];

const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Decides, per bare import, bundle or keep external. Code inside a bundled package bundles its own imports too. */
const dependencyPolicy = {
  name: 'lakemirror-dependency-policy',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (builtins.has(args.path)) return { path: args.path, external: true };
      if (args.path.startsWith('@lakemirror/')) return undefined; // tsconfig paths: workspace code
      const fromPackage = args.importer.includes(`${path.sep}node_modules${path.sep}`);
      if (fromPackage || BUNDLED.some((pattern) => pattern.test(packageName(args.path)))) return undefined;
      return { path: args.path, external: true };
    });
  },
};

/** Compiles the workspace's TypeScript with swc: legacy decorators plus decorator metadata, CommonJS. */
const swcTypeScript = {
  name: 'lakemirror-swc',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (args.path.endsWith('.d.ts') || args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const source = await readFile(args.path, 'utf8');
      const output = await swc.transform(source, {
        filename: args.path,
        sourceMaps: 'inline',
        swcrc: false,
        configFile: false,
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
          keepClassNames: true,
        },
        module: { type: 'commonjs' },
      });
      return { contents: output.code, loader: 'js', resolveDir: path.dirname(args.path) };
    });
  },
};

/** Builds one target; returns the bundle's path and size. */
export async function buildTarget(name) {
  const entry = TARGETS[name];
  if (!entry) throw new Error(`unknown build target "${name}" (known: ${Object.keys(TARGETS).join(', ')})`);
  const outdir = path.join(root, 'dist', name);
  await rm(outdir, { recursive: true, force: true });
  const outfile = path.join(outdir, 'main.js');
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: [path.join(root, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    tsconfig: path.join(root, 'tsconfig.base.json'),
    mainFields: ['main', 'module'],
    plugins: [dependencyPolicy, swcTypeScript],
    // Class names matter at runtime: TypeORM migration names, Nest injection tokens and error messages.
    keepNames: true,
    sourcemap: 'linked',
    sourcesContent: false,
    legalComments: 'linked',
    logLevel: 'warning',
    logOverride: { 'empty-import-meta': 'silent' },
    banner: { js: `// lakemirror ${name}: production bundle built by tools/build/build.mjs; run with node.` },
  });
  if (result.errors.length > 0) throw new Error(`build of ${name} failed`);
  return { outfile, bytes: (await stat(outfile)).size };
}

async function main(argv) {
  const names = argv.includes('--all') ? Object.keys(TARGETS) : argv;
  if (names.length === 0) throw new Error(`usage: node tools/build/build.mjs <${Object.keys(TARGETS).join('|')}>... | --all`);
  for (const name of names) {
    const started = Date.now();
    const { outfile, bytes } = await buildTarget(name);
    process.stdout.write(`built ${path.relative(root, outfile)} (${(bytes / 1024 / 1024).toFixed(1)} MiB) in ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error) => {
    process.stderr.write(`build: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
