// Test support (run as its own process by heap-growth.spec.ts): applies a heap growth, then
// churns objects that live through a few young collections before they die, as a sweep's
// per-folder strings do, and prints the largest total heap it saw.
import { getHeapStatistics } from 'node:v8';
import { applyHeapGrowth } from './heap-growth';

applyHeapGrowth(Number(process.argv[2]));
const kept: { i: number; s: string }[] = [];
for (let i = 0; i < 200_000; i++) kept.push({ i, s: `kept-${i}` });
const living: { round: number; s: string }[] = [];
let peak = 0;
for (let round = 0; round < 400; round++) {
  for (let i = 0; i < 20_000; i++) living.push({ round, s: `${'x'.repeat(20)}${i}` });
  if (living.length > 100_000) living.splice(0, 20_000);
  peak = Math.max(peak, getHeapStatistics().total_heap_size);
}
process.stdout.write(`${JSON.stringify({ peak, kept: kept.length })}\n`);
