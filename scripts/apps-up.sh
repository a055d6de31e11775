#!/usr/bin/env bash
# Starts (or restarts) lakemirror's four apps in the background against the local environment:
# api :8080, scanner :8081, verifier :8082, promoter :8083. Logs and PIDs go to the state
# directory; scripts/env-down.sh stops them. The environment must be up (scripts/env-up.sh).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[[ -f "$LAKEMIRROR_ENV_FILE" ]] || die "the local environment is not up: run scripts/env-up.sh first"
ensure_node_modules
mkdir -p "$LAKEMIRROR_STATE_DIR/logs"
# The demo's lakeFS admin manages policies and opens Bull Board.
export LAKEMIRROR_ADMIN_USERS=${LAKEMIRROR_ADMIN_USERS:-admin}
# The demo installs no lakeFS hooks, so it polls every 2 s instead of the default 60 s safety net.
export LAKEMIRROR_SCAN_INTERVAL_MS=${LAKEMIRROR_SCAN_INTERVAL_MS:-2000}
export LAKEMIRROR_TAG_SCAN_INTERVAL_MS=${LAKEMIRROR_TAG_SCAN_INTERVAL_MS:-$LAKEMIRROR_SCAN_INTERVAL_MS}
declare -A PORTS=([api]=8080 [scanner]=8081 [verifier]=8082 [promoter]=8083)
for app in api scanner verifier promoter; do
  stop_recorded "app-$app"
  log="$LAKEMIRROR_STATE_DIR/logs/$app.log"
  nohup bash "$LAKEMIRROR_ROOT/scripts/run-app.sh" "$app" >"$log" 2>&1 &
  echo $! >"$LAKEMIRROR_STATE_DIR/app-$app.pid"
done
for app in api scanner verifier promoter; do
  port=${PORTS[$app]}
  wait_for 60 "$app" curl -fsS "http://127.0.0.1:$port/health" ||
    die "$app did not start on port $port; its log: $LAKEMIRROR_STATE_DIR/logs/$app.log: $(tail -n 3 "$LAKEMIRROR_STATE_DIR/logs/$app.log")"
  say "  $app        http://127.0.0.1:$port  (log: $LAKEMIRROR_STATE_DIR/logs/$app.log)"
done
