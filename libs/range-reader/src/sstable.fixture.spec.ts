import { BufferSource } from './byte-source';
import { readMetaRange, readRangeEntryBatches } from './lakefs-range.reader';
import { buildTable, objectEntryValue, rangeRecordValue } from './sstable.fixture';

// The writers that benchmarks use to build whole lakeFS commits read back as lakeFS's own files.

describe('lakeFS file writers', () => {
  it('writes range entries that read back with every recorded field', async () => {
    const fields = { address: 'data/g0000/c0001', size: 17, eTag: 'abc123', lastModifiedSeconds: 1_764_000_000, contentType: 'text/plain' };
    const table = buildTable([['a/one.parquet', objectEntryValue(fields, Buffer.from('id-1'))]], { entriesPerBlock: 8, snappy: true });

    const read = [];
    for await (const batch of readRangeEntryBatches(new BufferSource(table))) read.push(...batch);

    expect(read).toEqual([
      {
        path: 'a/one.parquet',
        address: 'data/g0000/c0001',
        addressType: 'relative',
        size: 17,
        etag: 'abc123',
        lastModified: new Date(1_764_000_000_000),
        contentType: 'text/plain',
        metadata: {},
      },
    ]);
  });

  it('writes metarange records that read back as the ranges they describe', async () => {
    const ranges = [
      { id: 'r1', minKey: 'a', maxKey: 'f', count: 1_000, estimatedSize: 40_000 },
      { id: 'r2', minKey: 'g', maxKey: 'z', count: 2, estimatedSize: 300 },
    ];
    const table = buildTable(
      ranges.map((range) => [range.maxKey, rangeRecordValue(range)]),
      { entriesPerBlock: 1, snappy: true, type: 'metaranges' },
    );

    expect(await readMetaRange(new BufferSource(table))).toEqual(ranges);
  });
});
