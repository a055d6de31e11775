#!/usr/bin/env bash
# Runs every check and test of lakemirror: lint, type-check, unit tests, the generated lakeFS
# types' freshness, production bundles, the Kubernetes manifests, integration tests against the
# local two-region environment (built and started here when needed), and the docker-compose
# deployment end to end.
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
# record NAME COMMAND...: runs a check that is not a jest run and counts it as one test in the total.
record() {
  local name=$1; shift
  local passed=1 failed=0
  "$@" || { passed=0 failed=1 status=1; }
  mkdir -p "$LAKEMIRROR_TEST_RESULTS_DIR"
  printf '{"passed":%d,"failed":%d,"skipped":0}' "$passed" "$failed" >"$LAKEMIRROR_TEST_RESULTS_DIR/check-$name.json"
}
say "== lint, type-check, unit tests and the generated lakeFS API types"
npx nx run-many -t lint typecheck test generated --parallel=2 --outputStyle=stream || status=1
record format npx prettier --check --log-level warn "**/*.{ts,js,mjs,json}"
say "== production bundles (dist/)"
record bundles npx nx run-many -t build --parallel=2 --outputStyle=stream
say "== Kubernetes manifests (kustomize, strict decoding into the official API types)"
record k8s bash scripts/k8s-check.sh --self-test
say "== integration tests (real lakeFS, MinIO, Redis, PostgreSQL)"
ensure_chromium
npx nx run-many -t integration --parallel=1 --outputStyle=stream || status=1
say "== faults the end-to-end tests injected"
node scripts/fault-table.mjs
say "== docker-compose deployment, end to end through the gateway"
record compose bash scripts/compose-e2e.sh

node -e '
  const fs = require("node:fs"), path = require("node:path"), dir = process.argv[1];
  let passed = 0, failed = 0, skipped = 0;
  const failures = [];
  for (const f of fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".json")).sort() : []) {
    const c = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")), run = f.replace(/\.json$/, "");
    passed += c.passed; failed += c.failed; skipped += c.skipped;
    if (c.failures) failures.push(...c.failures.map((name) => `${run}  ${name}`));
    else if (c.failed) failures.push(run.replace(/^check-/, "check: "));
  }
  if (failures.length) console.log("failed:\n" + failures.map((name) => "  " + name).join("\n"));
  console.log(`${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ""));
  if (passed === 0) process.exitCode = 1;
' "$LAKEMIRROR_TEST_RESULTS_DIR" || status=1
exit $status
