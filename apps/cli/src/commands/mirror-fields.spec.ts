import { parseArgs, UsageError } from '../cli-args';
import { CliCommand, CommandContext } from './command';
import { MIRROR_FIELD_OPTIONS, mirrorFields } from './mirror-fields';
import { renderMirrorTable } from './mirror-view';

const command: CliCommand = { name: 'update', usage: '', summary: '', run: async () => undefined };
const fieldsOf = (argv: string[]) => mirrorFields(new CommandContext(command, parseArgs(argv, new Set(MIRROR_FIELD_OPTIONS)), {}));

describe('mirrorFields', () => {
  it('sends only the settings that were given', () => {
    expect(fieldsOf([])).toEqual({});
    expect(fieldsOf(['--include', 'main, release-*', '--no-tags', '--max-lag-seconds', '300'])).toEqual({
      branches: { include: ['main', 'release-*'] },
      mirror_tags: false,
      max_lag_seconds: 300,
    });
    expect(fieldsOf(['--exclude=tmp-*', '--tags'])).toEqual({ branches: { exclude: ['tmp-*'] }, mirror_tags: true });
    expect(fieldsOf(['--include', '{main,dev},release-{1,2}-*'])).toEqual({ branches: { include: ['{main,dev}', 'release-{1,2}-*'] } });
  });

  it('refuses contradictions and a lag that is not a number of seconds', () => {
    expect(() => fieldsOf(['--tags', '--no-tags'])).toThrow(UsageError);
    expect(() => fieldsOf(['--max-lag-seconds', '5m'])).toThrow('--max-lag-seconds must be a whole number of seconds');
  });
});

describe('renderMirrorTable', () => {
  it('aligns one row per mirror under a header', () => {
    const mirror = { id: 'sales-eu', source_repository: 'sales', region: 'region-b', storage_namespace: 's3://b/m/sales', state: 'active', created_at: '' };
    expect(renderMirrorTable([mirror, { ...mirror, id: 'sales-ap', region: 'region-c' }]).split('\n')).toEqual([
      'MIRROR    REGION    STATE   STORAGE NAMESPACE',
      'sales-eu  region-b  active  s3://b/m/sales',
      'sales-ap  region-c  active  s3://b/m/sales',
    ]);
    expect(renderMirrorTable([])).toBe('no mirrors');
  });
});
