import { SafeHtml, html } from './html';
import { formatDuration } from './status-format';

export interface LagPoint {
  at: Date;
  lagSeconds: number;
}

export interface SparklineOptions {
  /** The time span the line covers, left edge to right edge. */
  from: Date;
  to: Date;
  /** Samples further apart than this are not joined: nothing was sampled in between (the scanner was down). */
  maxGapMs: number;
  width?: number;
  height?: number;
}

const PADDING = 2;

/**
 * The lag over a time span as an inline SVG line (no script, no style attribute: it renders
 * under the page's strict Content-Security-Policy). Higher is more behind; the scale runs from
 * 0 to the span's highest lag, which the title names.
 */
export function lagSparkline(points: readonly LagPoint[], options: SparklineOptions): SafeHtml {
  const width = options.width ?? 240;
  const height = options.height ?? 36;
  const from = options.from.getTime();
  const span = Math.max(1, options.to.getTime() - from);
  const inSpan = points.filter((p) => p.at.getTime() >= from && p.at.getTime() <= options.to.getTime()).sort((a, b) => a.at.getTime() - b.at.getTime());
  if (inSpan.length === 0) return html`<span class="muted">no samples yet</span>`;
  const highest = Math.max(...inSpan.map((p) => p.lagSeconds));
  const scale = Math.max(1, highest);
  const x = (p: LagPoint) => round(PADDING + ((p.at.getTime() - from) / span) * (width - 2 * PADDING));
  const y = (p: LagPoint) => round(height - PADDING - (Math.max(0, p.lagSeconds) / scale) * (height - 2 * PADDING));
  const segments = splitAtGaps(inSpan, options.maxGapMs);
  const label = `lag over the last ${formatDuration(span / 1000)}: highest ${formatDuration(highest)}, now ${formatDuration(inSpan[inSpan.length - 1].lagSeconds)} (${inSpan.length} samples)`;
  const shapes = segments.map((segment) =>
    segment.length === 1
      ? html`<circle cx="${x(segment[0])}" cy="${y(segment[0])}" r="1.5" fill="currentColor" />`
      : html`<polyline
          fill="none"
          stroke="currentColor"
          stroke-width="1.5"
          stroke-linejoin="round"
          points="${segment.map((p) => `${x(p)},${y(p)}`).join(' ')}"
        />`,
  );
  return html`<svg
    class="sparkline"
    xmlns="http://www.w3.org/2000/svg"
    width="${width}"
    height="${height}"
    viewBox="0 0 ${width} ${height}"
    role="img"
    aria-label="${label}"
  >
    <title>${label}</title>
    <line x1="${PADDING}" y1="${height - PADDING}" x2="${width - PADDING}" y2="${height - PADDING}" stroke="#c8ccd2" stroke-width="1" />
    ${shapes}
  </svg>`;
}

function splitAtGaps(points: readonly LagPoint[], maxGapMs: number): LagPoint[][] {
  const segments: LagPoint[][] = [];
  let previous: LagPoint | undefined;
  for (const point of points) {
    if (!previous || point.at.getTime() - previous.at.getTime() > maxGapMs) segments.push([]);
    segments[segments.length - 1].push(point);
    previous = point;
  }
  return segments;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
