import { lagSparkline } from './lag-sparkline';

const at = (minutes: number) => new Date(Date.UTC(2026, 10, 26, 4, minutes));
const span = { from: at(0), to: at(60), maxGapMs: 150_000, width: 100, height: 20 };

describe('lagSparkline', () => {
  it('says so when there is no sample in the span', () => {
    expect(lagSparkline([], span).text).toBe('<span class="muted">no samples yet</span>');
    expect(lagSparkline([{ at: at(-5), lagSeconds: 3 }], span).text).toContain('no samples yet');
  });

  it('draws the lag over time, scaled to the highest, left to right', () => {
    const svg = lagSparkline(
      [
        { at: at(30), lagSeconds: 0 },
        { at: at(0), lagSeconds: 10 },
        { at: at(1), lagSeconds: 5 },
        { at: at(2), lagSeconds: 0 },
      ],
      { ...span, maxGapMs: 3_600_000 },
    ).text;
    expect(svg).toMatch(/^<svg\s+class="sparkline"/);
    // x from 2 to 98, y from 18 (no lag) to 2 (the highest); sorted by time.
    expect(svg).toContain('points="2,2 3.6,10 5.2,18 50,18"');
    expect(svg).toContain('highest 10 s, now 0 s (4 samples)');
    expect(svg).not.toContain('style=');
  });

  it('does not join samples across a gap in sampling', () => {
    const svg = lagSparkline(
      [
        { at: at(0), lagSeconds: 1 },
        { at: at(1), lagSeconds: 2 },
        { at: at(40), lagSeconds: 4 },
      ],
      span,
    ).text;
    expect(svg.match(/<polyline/g)).toHaveLength(1);
    expect(svg.match(/<circle/g)).toHaveLength(1);
  });
});
