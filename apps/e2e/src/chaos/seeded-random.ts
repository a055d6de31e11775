import { randomInt } from 'node:crypto';

/**
 * A small deterministic random number generator (mulberry32): every choice of a chaos soak
 * derives from its seed, so a failing run can be replayed with the same seed.
 */
export class SeededRandom {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** A number in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('cannot pick from an empty list');
    return items[this.int(0, items.length - 1)];
  }

  /** One of `weights`' keys, each as likely as its weight (keys of weight 0 are never chosen). */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    const entries = (Object.entries(weights) as [K, number][]).filter(([, weight]) => weight > 0);
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    if (total === 0) throw new Error('every weight is 0');
    let point = this.next() * total;
    for (const [key, weight] of entries) {
      point -= weight;
      if (point < 0) return key;
    }
    return entries[entries.length - 1][0];
  }

  shuffle<T>(items: readonly T[]): T[] {
    const shuffled = [...items];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
    }
    return shuffled;
  }

  /**
   * An independent stream for one part of a run (the workload, the faults): one part making
   * more or fewer choices never shifts what the other chooses.
   */
  fork(label: string): SeededRandom {
    let hash = 0x811c9dc5 ^ this.seed;
    for (const char of label) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193);
    return new SeededRandom(hash >>> 0);
  }
}

/** The seed from its environment variable, or a fresh random one when it is unset. */
export function soakSeed(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return randomInt(1, 2 ** 31);
  const seed = Number(value);
  if (!Number.isSafeInteger(seed) || seed < 0 || seed >= 2 ** 32) {
    throw new Error(`LAKEMIRROR_SOAK_SEED must be an integer from 0 to 4294967295, not "${value}"`);
  }
  return seed;
}
