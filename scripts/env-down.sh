#!/usr/bin/env bash
# Stops the servers scripts/env-up.sh started, by the PIDs it recorded (never by process name).
# The machine's Redis and PostgreSQL are left running. --purge also deletes their data.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
for name in lakefs-source lakefs-destination minio-a minio-b; do
  pidfile="$LAKEMIRROR_STATE_DIR/$name.pid"
  [[ -f "$pidfile" ]] || continue
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    say "stopped $name (pid $pid)"
  fi
  rm -f "$pidfile"
done
if [[ "${1:-}" == "--purge" ]]; then
  rm -rf "$LAKEMIRROR_STATE_DIR"/{minio-a,minio-b,lakefs-source,lakefs-destination,mc}
  say "deleted the environment's data in $LAKEMIRROR_STATE_DIR"
fi
