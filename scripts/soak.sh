#!/usr/bin/env bash
# Runs the seeded chaos soak (apps/e2e/src/chaos-soak.integration-spec.ts) against the local
# environment: 600 s of faults by default, with a seed given or drawn at random; prints the seed
# first and the summary line last. Replay a run with the same seed:
#   bash scripts/soak.sh [SEED]        (or LAKEMIRROR_SOAK_SEED=... LAKEMIRROR_SOAK_SECONDS=... npm run soak)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$LAKEMIRROR_ROOT"
export LAKEMIRROR_SOAK_SEED=${1:-${LAKEMIRROR_SOAK_SEED:-$((RANDOM * 32768 + RANDOM))}}
export LAKEMIRROR_SOAK_SECONDS=${LAKEMIRROR_SOAK_SECONDS:-600}
[[ $LAKEMIRROR_SOAK_SEED =~ ^[0-9]+$ ]] || die "the seed must be a non-negative integer, not \"$LAKEMIRROR_SOAK_SEED\""
ensure_node_modules
[[ -f "$LAKEMIRROR_ENV_FILE" ]] || die "the local environment is not running: start it with scripts/env-up.sh"
results=${LAKEMIRROR_TEST_RESULTS_DIR:-$LAKEMIRROR_ROOT/.lakemirror/test-results}
events="$results/chaos-soak-$LAKEMIRROR_SOAK_SEED.log"
say "chaos soak: seed $LAKEMIRROR_SOAK_SEED, $LAKEMIRROR_SOAK_SECONDS s of faults (events in $events)"
status=0
npx jest -c apps/e2e/jest.integration.config.js --runInBand apps/e2e/src/chaos-soak.integration-spec.ts || status=$?
if [[ -f "$events" ]]; then
  say "$(tail -n 1 "$events")"
fi
(( status == 0 )) || say "chaos soak failed; replay it with: bash scripts/soak.sh $LAKEMIRROR_SOAK_SEED"
exit "$status"
