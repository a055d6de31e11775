import { FAULT_KINDS, planFaults } from './fault-schedule';
import { SeededRandom } from './seeded-random';

describe('planFaults', () => {
  it('plans the same faults from the same seed, and others from another', () => {
    expect(planFaults(new SeededRandom(21), 600)).toEqual(planFaults(new SeededRandom(21), 600));
    expect(planFaults(new SeededRandom(21), 600)).not.toEqual(planFaults(new SeededRandom(22), 600));
  });

  it('injects every kind of fault even in a two-minute run', () => {
    for (let seed = 0; seed < 50; seed++) {
      expect(new Set(planFaults(new SeededRandom(seed), 120).map((f) => f.kind))).toEqual(new Set(FAULT_KINDS));
    }
  });

  it('plans nothing due at or after the end, in order, with outages bounded by the run', () => {
    for (const seconds of [120, 600]) {
      const faults = planFaults(new SeededRandom(seconds), seconds);
      const longest = seconds === 120 ? 6 : 30;
      expect(faults.every((f) => f.atSeconds < seconds)).toBe(true);
      expect(faults.map((f) => f.atSeconds)).toEqual([...faults.map((f) => f.atSeconds)].sort((a, b) => a - b));
      for (const fault of faults) {
        if (fault.kind === 'postgres-crash') expect(fault.downSeconds).toBe(0);
        else if (fault.kind === 'delay-object') expect(fault.downSeconds).toBeLessThanOrEqual(3 * longest);
        else expect(fault.downSeconds).toBeLessThanOrEqual(longest);
      }
    }
  });
});
