import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { EnvReader } from '@lakemirror/config';
import { DEFAULT_HEAP_GROWTH_PERCENT, readHeapGrowthPercent } from './heap-growth';

const root = path.resolve(__dirname, '../../..');

/** The largest total heap of the fixture's workload with `percent` applied (0: V8's own growth). */
function peakHeap(percent: number): number {
  const output = execFileSync(process.execPath, ['-r', '@swc-node/register', path.join(__dirname, 'heap-growth.fixture.ts'), String(percent)], {
    cwd: root,
    env: { ...process.env, SWC_NODE_PROJECT: 'libs/app-runtime/tsconfig.json' },
    encoding: 'utf8',
  });
  return (JSON.parse(output.trim().split('\n').pop() as string) as { peak: number }).peak;
}

describe('heap growth', () => {
  it('reads LAKEMIRROR_HEAP_GROWTH_PERCENT, 20 by default, and reports a value out of range', () => {
    expect(readHeapGrowthPercent(new EnvReader({}))).toBe(DEFAULT_HEAP_GROWTH_PERCENT);
    expect(readHeapGrowthPercent(new EnvReader({ LAKEMIRROR_HEAP_GROWTH_PERCENT: '0' }))).toBe(0);
    const wrong = new EnvReader({ LAKEMIRROR_HEAP_GROWTH_PERCENT: 'lots' });
    readHeapGrowthPercent(wrong);
    expect(wrong.problems).toEqual([expect.stringContaining('LAKEMIRROR_HEAP_GROWTH_PERCENT')]);
  });

  it('keeps a process whose objects die after a few collections to a much smaller heap than V8 grows on its own', () => {
    const ownGrowth = peakHeap(0);
    const limited = peakHeap(DEFAULT_HEAP_GROWTH_PERCENT);
    expect(limited).toBeLessThan(0.75 * ownGrowth);
  }, 60_000);
});
