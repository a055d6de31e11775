import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

// Every lakemirror library's tests may use these helpers, so they must import no lakemirror
// library: that would make a cycle (test helpers built on lakemirror's libraries belong in
// @lakemirror/test-environment). Nx's project graph does not analyse sources in this workspace,
// so nothing else would notice.
describe('libs/testing', () => {
  it('imports no lakemirror library', () => {
    const dir = __dirname;
    const offenders = readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((file) => /\.[cm]?[jt]s$/.test(file))
      .filter((file) => /from\s+['"]@lakemirror\/|require\(\s*['"]@lakemirror\//.test(readFileSync(path.join(dir, file), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
