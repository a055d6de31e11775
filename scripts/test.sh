#!/usr/bin/env bash
# Runs every check and test of lakemirror: lint, type-check, unit tests, then integration tests
# against the local two-region environment (built and started here when needed).
# Ends with one line "N passed, N failed"; exits non-zero when anything failed.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$LAKEMIRROR_ROOT"
ensure_node_modules
bash scripts/env-up.sh || die "the local environment did not start"
bash scripts/db-migrate.sh || die "database migrations failed"

export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false
export LAKEMIRROR_TEST_RESULTS_DIR="$LAKEMIRROR_ROOT/.lakemirror/test-results"
rm -rf "$LAKEMIRROR_TEST_RESULTS_DIR"
status=0
say "== lint, type-check and unit tests"
npx nx run-many -t lint typecheck test --parallel=2 --outputStyle=stream || status=1
say "== integration tests (real lakeFS, MinIO, Redis, PostgreSQL)"
npx nx run-many -t integration --parallel=1 --outputStyle=stream || status=1

node -e '
  const fs = require("node:fs"), path = require("node:path"), dir = process.argv[1];
  let passed = 0, failed = 0, skipped = 0;
  for (const f of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    const c = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8"));
    passed += c.passed; failed += c.failed; skipped += c.skipped;
  }
  console.log(`${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ""));
  if (passed === 0) process.exitCode = 1;
' "$LAKEMIRROR_TEST_RESULTS_DIR" || status=1
exit $status
