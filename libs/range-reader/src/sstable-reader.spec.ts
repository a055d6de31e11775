import { BufferSource } from './byte-source';
import { readRangeAddressBatches, readRangeAddresses, readRangeEntries, readRangeEntryBatches, readRangesAhead } from './lakefs-range.reader';
import { RangeReaderError } from './range-reader.errors';
import { SSTableReader } from './sstable-reader';
import { buildBlock, buildTable, entryValue, withTrailer } from './sstable.fixture';

const entries: [string, Buffer][] = Array.from({ length: 500 }, (_, i) => [
  `data/part-${String(i).padStart(4, '0')}`,
  entryValue(i % 7 === 0 ? `s3://imports/raw/${i}` : `data/g1/${i}`, i, i % 7 === 0 ? 2 : 1),
]);

/** The file in memory, streamed in chunks of `chunkBytes` (a network's), of which the last `cut` bytes never arrive. */
class ChunkedSource extends BufferSource {
  constructor(
    private readonly bytes: Buffer,
    private readonly chunkBytes: number,
    private readonly cut = 0,
  ) {
    super(bytes, 'chunked');
  }

  override async *stream(offset: number, length: number): AsyncIterable<Buffer> {
    const end = Math.min(offset + length, this.bytes.length - this.cut);
    for (let at = offset; at < end; at += this.chunkBytes) yield this.bytes.subarray(at, Math.min(at + this.chunkBytes, end));
  }
}

async function keysOf(table: Buffer): Promise<string[]> {
  const reader = await SSTableReader.open(new BufferSource(table));
  const keys: string[] = [];
  for await (const { key } of reader.entries()) keys.push(key.toString());
  return keys;
}

describe('SSTableReader on tables in Pebble layout', () => {
  it.each([
    ['a single-level index, Snappy blocks', { entriesPerBlock: 16, snappy: true }],
    ['a two-level index, Snappy blocks', { entriesPerBlock: 16, twoLevel: 4, snappy: true }],
    ['a two-level index, uncompressed blocks', { entriesPerBlock: 7, twoLevel: 3 }],
  ])('reads every entry through %s', async (_name, options) => {
    expect(await keysOf(buildTable(entries, options))).toEqual(entries.map(([k]) => k));
  });

  it('decodes lakeFS entries, telling relative addresses from full ones', async () => {
    const read = [];
    for await (const entry of readRangeEntries(new BufferSource(buildTable(entries, { entriesPerBlock: 16, twoLevel: 4, snappy: true })))) read.push(entry);
    expect(read).toHaveLength(500);
    expect(read[1]).toMatchObject({ path: 'data/part-0001', address: 'data/g1/1', addressType: 'relative', size: 1, etag: 'etag-1' });
    expect(read[7]).toMatchObject({ address: 's3://imports/raw/7', addressType: 'full' });
    expect(read[1].lastModified.toISOString()).toBe('2023-11-14T22:13:20.000Z');
  });

  it('resolves the deprecated address type by the address, as lakeFS does', async () => {
    const old: [string, Buffer][] = [
      ['a', entryValue('data/x', 1, 0)],
      ['b', entryValue('s3://elsewhere/y', 1, 0)],
    ];
    const read = [];
    for await (const entry of readRangeEntries(new BufferSource(buildTable(old, { entriesPerBlock: 16 })))) read.push(entry.addressType);
    expect(read).toEqual(['relative', 'full']);
  });

  it('reads an empty table', async () => {
    expect(await keysOf(buildTable([], { entriesPerBlock: 16 }))).toEqual([]);
  });

  it('rejects a two-level table whose partition is damaged', async () => {
    const table = buildTable(entries, { entriesPerBlock: 16, twoLevel: 4, snappy: true });
    const damaged = Buffer.from(table);
    damaged[table.length - 53 - 200] ^= 0xff; // inside the index/properties region
    await expect(keysOf(damaged)).rejects.toBeInstanceOf(RangeReaderError);
  });

  it('gives the same entries one array per run of blocks at hand: the whole file in memory, or what each chunk completes', async () => {
    const table = buildTable(entries, { entriesPerBlock: 16, twoLevel: 4, snappy: true });
    const batches = [];
    for await (const batch of readRangeEntryBatches(new BufferSource(table))) batches.push(batch);
    expect(batches.map((b) => b.length)).toEqual([entries.length]);
    const chunked = [];
    for await (const batch of readRangeEntryBatches(new ChunkedSource(table, 700))) chunked.push(batch);
    expect(chunked.length).toBeGreaterThan(5);
    expect(chunked.flat()).toEqual(batches.flat());
    const single = [];
    for await (const entry of readRangeEntries(new BufferSource(table))) single.push(entry);
    expect(batches.flat()).toEqual(single);
  });

  it('gives the same addresses alone, per block, per entry, and over several files read ahead', async () => {
    const table = buildTable(entries, { entriesPerBlock: 16, twoLevel: 4, snappy: true });
    const full = [];
    for await (const entry of readRangeEntries(new BufferSource(table))) full.push({ address: entry.address, addressType: entry.addressType });
    const batches = [];
    for await (const batch of readRangeAddressBatches(new BufferSource(table))) batches.push(batch);
    expect(batches.flat()).toEqual(full);
    const single = [];
    for await (const entry of readRangeAddresses(new BufferSource(table))) single.push(entry);
    expect(single).toEqual(full);
    const other = buildTable([['z', entryValue('s3://elsewhere/z', 1, 0)]], { entriesPerBlock: 16 });
    for (const ahead of [0, 1, 5]) {
      const ahead3 = [];
      for await (const batch of readRangesAhead([new BufferSource(table), new BufferSource(other), new BufferSource(table)], ahead)) ahead3.push(...batch);
      expect(ahead3).toEqual([...full, { address: 's3://elsewhere/z', addressType: 'full' }, ...full]);
    }
  });

  it('refuses a stream that ends before the last data block, naming the block cut short', async () => {
    const table = buildTable(entries, { entriesPerBlock: 16, snappy: true });
    const handles = (await SSTableReader.open(new BufferSource(table))).dataBlockHandles;
    const last = handles[handles.length - 1];
    const reader = await SSTableReader.open(new ChunkedSource(table, 500, table.length - (last.offset + 10)));
    const drain = async () => {
      for await (const _run of reader.dataBlockRuns());
    };
    await expect(drain()).rejects.toMatchObject({ code: 'TRUNCATED', detail: expect.stringContaining(`block at ${last.offset}`) });
  });

  it('names the path of an entry whose value cannot be decoded when reading addresses alone', async () => {
    const bad = entries.map(([key, value]): [string, Buffer] => [key, key === 'data/part-0042' ? Buffer.from([0x01, 0x00]) : value]);
    const table = buildTable(bad, { entriesPerBlock: 16, snappy: true });
    const drain = async () => {
      for await (const _batch of readRangeAddressBatches(new BufferSource(table)));
    };
    await expect(drain()).rejects.toMatchObject({ code: 'UNDECODABLE_ENTRY', detail: expect.stringContaining('"data/part-0042"') });
  });

  it('refuses a damaged data block and a key that is not a set operation', async () => {
    const table = buildTable(entries, { entriesPerBlock: 16, snappy: true });
    const damaged = Buffer.from(table);
    damaged[10] ^= 0x01;
    const drain = async (t: Buffer) => {
      for await (const _batch of readRangeEntryBatches(new BufferSource(t)));
    };
    await expect(drain(damaged)).rejects.toMatchObject({ code: 'CHECKSUM_MISMATCH' });
    // A deletion (kind 0) in place of the first entry's set: same length, valid checksum.
    const block = buildBlock([[Buffer.concat([Buffer.from('a'), Buffer.from([0, 0, 0, 0, 0, 0, 0, 0])]), entryValue('data/a', 1)]]);
    const deletion = Buffer.from(buildTable([['a', entryValue('data/a', 1)]], { entriesPerBlock: 16 }));
    withTrailer(block, 0).copy(deletion, 0);
    await expect(drain(deletion)).rejects.toMatchObject({ code: 'UNDECODABLE_ENTRY' });
  });
});
