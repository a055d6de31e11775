import { performance } from 'node:perf_hooks';
import { BufferSource, ByteSource, RangeEntry, readRangeAddressBatches, readRangeEntries, readRangeEntryBatches } from '../src';

/** How fast range files already in memory decode: entries/s of each reader path, best of `rounds`. */
export async function decodeRates(files: Buffer[], rounds: number, legacy: (source: ByteSource) => AsyncIterable<RangeEntry>) {
  const paths = {
    batches: async (file: Buffer) => {
      let n = 0;
      for await (const batch of readRangeEntryBatches(new BufferSource(file))) n += batch.length;
      return n;
    },
    addresses: async (file: Buffer) => {
      let n = 0;
      for await (const batch of readRangeAddressBatches(new BufferSource(file))) n += batch.length;
      return n;
    },
    perEntry: async (file: Buffer) => {
      let n = 0;
      for await (const _entry of readRangeEntries(new BufferSource(file))) n++;
      return n;
    },
    legacy: async (file: Buffer) => {
      let n = 0;
      for await (const _entry of legacy(new BufferSource(file))) n++;
      return n;
    },
  };
  const best = { batches: 0, addresses: 0, perEntry: 0, legacy: 0 };
  // Interleaved rounds, so a busy machine slows every path alike; the best round of each counts.
  for (let round = 0; round < rounds; round++) {
    for (const name of Object.keys(paths) as (keyof typeof paths)[]) {
      const start = performance.now();
      let entries = 0;
      for (const file of files) entries += await paths[name](file);
      best[name] = Math.max(best[name], entries / ((performance.now() - start) / 1000));
    }
  }
  return best;
}
