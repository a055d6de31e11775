#!/usr/bin/env bash
# The demo: builds the tools if needed, starts the local two-region environment and the four
# apps, creates a source repository and a mirror (through the API, with curl), commits more data
# and shows the mirror branch catching up.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$LAKEMIRROR_ROOT"
ensure_node_modules
bash scripts/env-up.sh
bash scripts/db-migrate.sh
say 'starting lakemirror'
bash scripts/apps-up.sh
set -a
# shellcheck disable=SC1090
source "$LAKEMIRROR_ENV_FILE"
set +a
SWC_NODE_PROJECT=apps/demo/tsconfig.json exec node -r @swc-node/register apps/demo/src/main.ts
