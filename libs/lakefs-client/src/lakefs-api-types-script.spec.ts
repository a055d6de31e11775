import { execFile } from 'node:child_process';
import { appendFile, copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// The CI guard of the checked-in generated types, run for real: Go finds the pinned lakeFS's api/swagger.yml
// and openapi-typescript generates (about 3 s). That the checked-in file passes is the nx target
// lakefs-client:generated, run by scripts/test.sh; here a hand-edited copy must fail.
const root = resolve(__dirname, '../../..');

describe('scripts/lakefs-api-types.sh --check', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lakefs-api-types-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('fails with one line naming the fix when the file differs from what the pinned lakeFS generates', async () => {
    const edited = join(dir, 'lakefs-api.ts');
    await copyFile(join(__dirname, 'generated/lakefs-api.ts'), edited);
    await appendFile(edited, 'export type HandEdited = true;\n');

    const result = await new Promise<{ exitCode: number; stderr: string }>((done) =>
      execFile(
        'bash',
        ['scripts/lakefs-api-types.sh', '--check'],
        { cwd: root, env: { ...process.env, LAKEFS_API_TYPES_FILE: edited } },
        (error, _stdout, stderr) => done({ exitCode: error ? Number(error.code) : 0, stderr }),
      ),
    );

    expect(result.exitCode).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^lakefs-api-types: .*lakefs-api\.ts is stale \(.*\): run bash scripts\/lakefs-api-types\.sh$/),
    ]);
  }, 60_000);
});
