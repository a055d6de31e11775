#!/usr/bin/env bash
# Runs one benchmark against the local environment (started when needed):
#   bash scripts/bench.sh range-reader
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$LAKEMIRROR_ROOT"
name=${1:-}
file=$(ls libs/*/bench/"$name".bench.ts 2>/dev/null | head -n 1 || true)
[[ -n "$name" && -n "$file" ]] || die "usage: scripts/bench.sh NAME, one of: $(ls libs/*/bench/*.bench.ts | xargs -n1 basename | sed 's/.bench.ts//' | tr '\n' ' ')"
ensure_node_modules
# The range reader is measured on lakeFS's own range sizes too (a fourth lakeFS, see env-up.sh).
[[ "$name" != range-reader ]] || export LAKEMIRROR_ENV_DEFAULT_RANGES_LAKEFS=1
bash scripts/env-up.sh >/dev/null 2>&1 || die "the local environment did not start (run scripts/env-up.sh to see why)"
set -a
# shellcheck disable=SC1090
source "$LAKEMIRROR_ENV_FILE"
set +a
SWC_NODE_PROJECT="$(dirname "$(dirname "$file")")/tsconfig.json" exec node -r @swc-node/register "$file"
