#!/usr/bin/env bash
# Stops the dockerd that scripts/docker-up.sh started, by its recorded PID (never by name). Refuses while
# containers run unless --force (they are stopped with the daemon). A daemon this project did not start
# is left alone. Images, volumes and the Compose plugin stay (they are caches).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
pidfile="$LAKEMIRROR_STATE_DIR/dockerd.pid"
if [[ ! -f $pidfile ]] || ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
  say "no dockerd started by scripts/docker-up.sh is running"; exit 0
fi
running=$(docker ps -q | wc -l)
if (( running > 0 )) && [[ "${1:-}" != --force ]]; then
  die "$running containers still run (scripts/docker-stack.sh down, or --force to stop them with the daemon)"
fi
pid=$(cat "$pidfile")
kill -TERM "$pid"
# dockerd stops its containers (up to their stop timeouts) and its containerd before it exits.
for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
kill -0 "$pid" 2>/dev/null && die "dockerd (pid $pid) is still stopping after 60s; see $LAKEMIRROR_STATE_DIR/dockerd.log"
rm -f "$pidfile"
say "stopped dockerd (pid $pid)"
