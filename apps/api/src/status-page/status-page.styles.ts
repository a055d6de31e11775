import { createHash } from 'node:crypto';

/** The status page's only style sheet, inline; its hash is what the page's Content-Security-Policy allows. */
export const STATUS_PAGE_CSS = `
:root { color-scheme: light; --muted: #5b6470; --line: #dde1e6; --ok: #1f7a3a; --warn: #9a5b00; --bad: #b3261e; --info: #2a5db0; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1f24; background: #f6f7f9; }
header { padding: 16px 24px; background: #fff; border-bottom: 1px solid var(--line); }
h1 { margin: 0 0 4px; font-size: 20px; }
main { padding: 16px 24px 32px; }
.mirror { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 12px 16px 16px; margin-bottom: 16px; }
h2 { margin: 0 0 4px; font-size: 17px; }
h2 small { font-weight: normal; color: var(--muted); font-size: 13px; }
h3 { margin: 14px 0 6px; font-size: 14px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: middle; }
th { font-weight: 600; color: var(--muted); font-size: 12px; }
code { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; word-break: break-all; }
.muted { color: var(--muted); }
.badge { display: inline-block; padding: 1px 8px; margin: 2px 4px 2px 0; border-radius: 10px; font-size: 12px; font-weight: 600; border: 1px solid currentColor; }
.ok { color: var(--ok); }
.warn { color: var(--warn); }
.bad { color: var(--bad); }
.info { color: var(--info); }
.sparkline { color: var(--info); display: block; }
progress { width: 120px; vertical-align: middle; }
.error { color: var(--bad); white-space: pre-wrap; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0; }
dt { color: var(--muted); }
dd { margin: 0; }
`;

const CSS_HASH = createHash('sha256').update(STATUS_PAGE_CSS).digest('base64');

/** Nothing may load or run; only the page's own style sheet applies (inline SVG needs no more). */
export const STATUS_PAGE_POLICY = [
  "default-src 'none'",
  `style-src 'sha256-${CSS_HASH}'`,
  "img-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');
