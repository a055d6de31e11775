#!/usr/bin/env bash
# Applies pending database migrations to LAKEMIRROR_DATABASE_URL (from .lakemirror/env unless set).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$LAKEMIRROR_ROOT"
if [[ -z "${LAKEMIRROR_DATABASE_URL:-}" && -f "$LAKEMIRROR_ENV_FILE" ]]; then
  LAKEMIRROR_DATABASE_URL=$(sed -n 's/^LAKEMIRROR_DATABASE_URL=//p' "$LAKEMIRROR_ENV_FILE")
  export LAKEMIRROR_DATABASE_URL
fi
SWC_NODE_PROJECT=libs/persistence/tsconfig.json exec node -r @swc-node/register libs/persistence/src/migrate.main.ts
