import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

// This library depends on config, lakefs-client, object-store, persistence and testing (and on what
// they depend on): none of them may import it, not even in tests, or the libraries depend on each
// other in a cycle (lakefs-client and object-store have fixtures of their own for that reason).
// Nx's project graph does not analyse sources in this workspace, so nothing else would notice.
const root = path.resolve(__dirname, '../../..');
const { paths } = JSON.parse(readFileSync(path.join(root, 'tsconfig.base.json'), 'utf8')).compilerOptions as {
  paths: Record<string, string[]>;
};
/** Import alias → the project directory it belongs to (libs/<name>). */
const projectOf = new Map(Object.entries(paths).map(([alias, [target]]) => [alias, target.split('/').slice(0, 2).join('/')]));

function importsOf(projectDir: string): Set<string> {
  const found = new Set<string>();
  const dir = path.join(root, projectDir);
  for (const file of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (!/\.ts$/.test(file) || file.split(path.sep).includes('node_modules')) continue;
    for (const match of readFileSync(path.join(dir, file), 'utf8').matchAll(/from\s+['"](@lakemirror\/[^'"]+)['"]/g)) {
      const target = projectOf.get(match[1]);
      if (target && target !== projectDir) found.add(target);
    }
  }
  return found;
}

describe('libs/test-environment', () => {
  it('is imported by none of the libraries it depends on', () => {
    const self = 'libs/test-environment';
    const reached = new Map<string, string>(); // project → the project that imports it, on the way from this library
    const queue = [self];
    while (queue.length > 0) {
      const project = queue.shift() as string;
      for (const dependency of importsOf(project)) {
        if (reached.has(dependency)) continue;
        reached.set(dependency, project);
        queue.push(dependency);
      }
    }
    const cycle = reached.has(self) ? [self] : [];
    for (let at = reached.get(self); at !== undefined && at !== self; at = reached.get(at)) cycle.unshift(at);
    expect(cycle.length > 0 ? `${self} -> ${cycle.join(' -> ')}` : 'no cycle').toBe('no cycle');
  });
});
