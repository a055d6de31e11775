import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { AddressesByFolder } from '../src';

// Benchmark (not a test): the memory a commit sweep holds for the addresses it must find, for
// M objects (LAKEMIRROR_BENCH_SWEEP_OBJECTS, default 1,000,000) laid out as lakeFS writes them
// (data/<partition>/<id>, a new partition every 50,000 objects, ids of 20 characters), in
// range order (so partitions interleave). Side by side in one run: one string per address
// plus its chunk index and the sorted copy (how the sweep held them before), and
// AddressesByFolder (names as bytes per folder; one folder's strings at a time while checked).

const objects = Number(process.env.LAKEMIRROR_BENCH_SWEEP_OBJECTS ?? 1_000_000);
const PARTITION_OBJECTS = 50_000;
const CHUNK_OBJECTS = 1_000;
/** The most folders a sweep lists at once (sweep-listing-plan.ts in the pipeline library). */
const FOLDERS_AT_ONCE = 8;
const ALPHABET = '0123456789abcdefghijklmnopqrstuv';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heldBytes(): number {
  gc();
  gc();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.external;
}

/** The i-th address, decoded from bytes as the range reader decodes them (a flat string each). */
function addressOf(i: number, scratch: Buffer): string {
  // Entry i of a commit whose paths do not follow upload order: spread over every partition.
  const upload = (i * 7_919) % objects;
  const partition = Math.floor(upload / PARTITION_OBJECTS);
  let at = scratch.write('data/g', 0, 'latin1');
  for (let n = 19, p = partition; n-- > 0; p = Math.floor(p / 32)) scratch[at + n] = ALPHABET.charCodeAt(p % 32);
  at += 19;
  scratch[at++] = 0x2f;
  scratch[at++] = 0x63;
  for (let n = 19, u = upload; n-- > 0; u = Math.floor(u / 32)) scratch[at + n] = ALPHABET.charCodeAt(u % 32);
  return scratch.toString('latin1', 0, at + 19);
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

function measure(name: string, build: () => unknown, count = objects): number {
  const before = heldBytes();
  const started = performance.now();
  const held = build();
  const seconds = (performance.now() - started) / 1000;
  const bytes = heldBytes() - before;
  process.stdout.write(`  ${name.padEnd(44)} ${mb(bytes).padStart(7)} MB  ${(bytes / count).toFixed(1).padStart(6)} B/address  ${seconds.toFixed(2)} s\n`);
  if (held === undefined) throw new Error('nothing held');
  return bytes;
}

function main(): void {
  const scratch = Buffer.alloc(64);
  process.stdout.write(`sweep addresses held for ${objects.toLocaleString('en')} objects (${Math.ceil(objects / PARTITION_OBJECTS)} partitions)\n`);
  const strings = measure('one string each + chunk index + sorted copy', () => {
    const addresses: string[] = [];
    const chunkOf: number[] = [];
    for (let i = 0; i < objects; i++) {
      addresses.push(addressOf(i, scratch));
      chunkOf.push(Math.floor(i / CHUNK_OBJECTS));
    }
    return [addresses, chunkOf, addresses.slice().sort()];
  });
  let folders: AddressesByFolder | undefined;
  const compact = measure('AddressesByFolder', () => {
    folders = new AddressesByFolder();
    for (let i = 0; i < objects; i++) folders.add(addressOf(i, scratch), Math.floor(i / CHUNK_OBJECTS));
    return folders;
  });
  const [largest] = (folders as AddressesByFolder).folders().sort((a, b) => b.count - a.count);
  const folderStrings = measure(`+ one folder's sorted strings (${largest.count.toLocaleString('en')})`, () => largest.sortedUnique(), largest.count);
  const peak = compact + FOLDERS_AT_ONCE * folderStrings;
  process.stdout.write(`  held: compact / strings = ${(compact / strings).toFixed(2)}\n`);
  process.stdout.write(`  peak while ${FOLDERS_AT_ONCE} folders are checked at once: ${mb(peak)} MB, / strings = ${(peak / strings).toFixed(2)}\n`);
}

main();
