#!/usr/bin/env bash
# Runs one lakemirror app (api, scanner, verifier, promoter, or the cli with its arguments) from its TypeScript sources,
# with the settings of .lakemirror/env (written by scripts/env-up.sh) unless already set.
# LAKEMIRROR_RUN_FROM=dist runs the production bundle dist/<app>/main.js instead, with plain node (no TypeScript
# loader) as the container image does; `npx nx run-many -t build` writes the bundles.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
app=${1:-}
[[ -n "$app" && -f "$LAKEMIRROR_ROOT/apps/$app/src/main.ts" ]] || die "usage: scripts/run-app.sh api|scanner|verifier|promoter|cli [arguments]"
shift
if [[ -f "$LAKEMIRROR_ENV_FILE" ]]; then
  while IFS='=' read -r key value; do
    [[ $key =~ ^[A-Z0-9_]+$ && -z "${!key:-}" ]] && export "$key=$value"
  done <"$LAKEMIRROR_ENV_FILE"
fi
cd "$LAKEMIRROR_ROOT"
case "${LAKEMIRROR_RUN_FROM:-sources}" in
  sources) ;;
  dist)
    [[ -f "dist/$app/main.js" ]] || die "dist/$app/main.js is missing: run npx nx run-many -t build first"
    exec node --enable-source-maps "dist/$app/main.js" "$@" ;;
  *) die "LAKEMIRROR_RUN_FROM must be sources or dist, not \"$LAKEMIRROR_RUN_FROM\"" ;;
esac
SWC_NODE_PROJECT="apps/$app/tsconfig.json" exec node -r @swc-node/register "apps/$app/src/main.ts" "$@"
