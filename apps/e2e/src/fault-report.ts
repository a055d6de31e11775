import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');

/** One fault a test injected and survived, as the closing table of the fault matrix shows it. */
export interface FaultEntry {
  fault: string;
  injections: number;
  /** Commits of the source missing or different on the mirror once the checker converged. */
  lost: number;
  /** Seconds from the end of the fault until the mirror equalled the source. */
  convergeSeconds: number;
  detail?: string;
}

/** Where fault entries go: `$LAKEMIRROR_TEST_RESULTS_DIR/faults.jsonl` (scripts/fault-table.mjs prints them). */
export function faultReportFile(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.LAKEMIRROR_TEST_RESULTS_DIR || path.join(root, '.lakemirror/test-results');
  return path.join(dir, 'faults.jsonl');
}

/** Appends one line for `entry` (runs append: each test adds its own faults). */
export function recordFault(entry: FaultEntry, env: NodeJS.ProcessEnv = process.env): void {
  const file = faultReportFile(env);
  mkdirSync(path.dirname(file), { recursive: true });
  appendFileSync(file, `${JSON.stringify({ ...entry, at: new Date().toISOString() })}\n`);
}
