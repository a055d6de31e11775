import { parseArgs, UsageError } from './cli-args';

describe('parseArgs', () => {
  const valued = new Set(['region', 'max-lag-seconds']);

  it('separates positionals, flags and valued options in either spelling', () => {
    const args = parseArgs(['sales', '--json', '--region', 'region-b', 'sales-eu', '--max-lag-seconds=60'], valued);
    expect(args.positionals).toEqual(['sales', 'sales-eu']);
    expect([...args.options]).toEqual([
      ['json', true],
      ['region', 'region-b'],
      ['max-lag-seconds', '60'],
    ]);
  });

  it('refuses a valued option without its value and a flag given a value', () => {
    expect(() => parseArgs(['--region'], valued)).toThrow(new UsageError('--region needs a value'));
    expect(() => parseArgs(['--region', '--json'], valued)).toThrow(new UsageError('--region needs a value'));
    expect(() => parseArgs(['--json=yes'], valued)).toThrow(new UsageError('--json takes no value'));
  });
});
