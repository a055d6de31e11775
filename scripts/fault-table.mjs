// Prints the faults the end-to-end tests injected (faults.jsonl, written by apps/e2e's
// recordFault) as a Markdown table. Prints nothing when no test recorded a fault.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = process.env.LAKEMIRROR_TEST_RESULTS_DIR || path.join(root, '.lakemirror/test-results');
const file = path.join(dir, 'faults.jsonl');

if (existsSync(file)) {
  const entries = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));
  if (entries.length > 0) {
    const cell = (value) => String(value ?? '').replace(/\|/g, '\\|');
    console.log('| fault | injections | lost | converge s |');
    console.log('| --- | ---: | ---: | ---: |');
    for (const e of entries) {
      const fault = e.detail ? `${e.fault} (${e.detail})` : e.fault;
      console.log(`| ${cell(fault)} | ${cell(e.injections)} | ${cell(e.lost)} | ${cell(Number(e.convergeSeconds).toFixed(1))} |`);
    }
  }
}
