import { setFlagsFromString } from 'node:v8';
import type { EnvReader } from '@lakemirror/config';

/** The default: a full collection once the heap holds 20% more than it kept after the last one. */
export const DEFAULT_HEAP_GROWTH_PERCENT = 20;

/**
 * LAKEMIRROR_HEAP_GROWTH_PERCENT: how far V8 lets the heap grow past what the last full collection
 * kept before it collects again; 0 leaves it to V8. V8's own factor, up to 4x for a process with
 * gigabytes to spare, let a verifier sweeping a million objects grow to 358-384 MB on what its
 * work keeps alive plus garbage; at 20% it stayed at 257 MB for a few more full collections. Unlike
 * --max-old-space-size this sets no ceiling: a heap that truly needs more still gets it.
 */
export function readHeapGrowthPercent(env: EnvReader): number {
  return env.integer('LAKEMIRROR_HEAP_GROWTH_PERCENT', DEFAULT_HEAP_GROWTH_PERCENT, 0, 400);
}

/** Applies the growth to this process's V8 heap (V8 reads it at every full collection). */
export function applyHeapGrowth(percent: number): void {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
}
