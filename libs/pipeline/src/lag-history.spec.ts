import { retentionCutoff, sampleIntervalStart } from './lag-history.service';

describe('lag history intervals', () => {
  it('names an interval by its start, the same for every instant in it', () => {
    const start = sampleIntervalStart(new Date('2026-11-26T04:10:00.000Z'), 60_000);
    expect(sampleIntervalStart(new Date('2026-11-26T04:10:59.999Z'), 60_000)).toEqual(start);
    expect(start.toISOString()).toBe('2026-11-26T04:10:00.000Z');
    expect(sampleIntervalStart(new Date('2026-11-26T04:11:00.000Z'), 60_000).toISOString()).toBe('2026-11-26T04:11:00.000Z');
  });

  it('keeps samples for the retention in hours', () => {
    expect(retentionCutoff(new Date('2026-11-26T04:00:00.000Z'), 24).toISOString()).toBe('2026-11-25T04:00:00.000Z');
    expect(retentionCutoff(new Date('2026-11-26T04:00:00.000Z'), 168).toISOString()).toBe('2026-11-19T04:00:00.000Z');
  });
});
