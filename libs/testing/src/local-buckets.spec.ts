import { localBuckets } from './local-buckets';

describe('localBuckets', () => {
  it('reads the source and region B buckets that scripts/env-up.sh wrote', () => {
    const env = { LAKEMIRROR_SOURCE_BUCKET: 'bucket-a', LAKEMIRROR_REGION_REGION_B_BUCKET: 'bucket-b' };
    expect(localBuckets(env)).toEqual({ source: 'bucket-a', regionB: 'bucket-b' });
  });

  it('names the missing variable and how to set it', () => {
    expect(() => localBuckets({ LAKEMIRROR_SOURCE_BUCKET: 'bucket-a' })).toThrow('LAKEMIRROR_REGION_REGION_B_BUCKET is not set: run scripts/env-up.sh');
    expect(() => localBuckets({ LAKEMIRROR_SOURCE_BUCKET: '', LAKEMIRROR_REGION_REGION_B_BUCKET: 'bucket-b' })).toThrow(
      'LAKEMIRROR_SOURCE_BUCKET is not set: run scripts/env-up.sh',
    );
  });
});
