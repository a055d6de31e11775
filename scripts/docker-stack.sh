#!/usr/bin/env bash
# The compose stack on this machine (no registry): docker compose with docker-compose.yml,
# docker-compose.local.yml and the demo profile, settings from .env (or .env.example's demo values
# when there is no .env). Usage:
#   scripts/docker-stack.sh up          Docker ready, images built (cached), stack started; waits for the demo
#   scripts/docker-stack.sh down [-v]   stops the stack (-v also deletes its volumes)
#   scripts/docker-stack.sh <any docker compose command and arguments>, e.g. ps, logs -f api
# LAKEMIRROR_STACK_PROFILES=none runs without the demo profile (your own lakeFS installations in .env).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$LAKEMIRROR_ROOT"
settings=.env
[[ -f $settings ]] || { settings=.env.example; say "no .env: using .env.example (demo credentials only)"; }
export LAKEMIRROR_SETTINGS_FILE=$LAKEMIRROR_ROOT/$settings
profiles=(--profile demo); [[ "${LAKEMIRROR_STACK_PROFILES:-demo}" == none ]] && profiles=()
compose() { docker compose --env-file "$settings" -f docker-compose.yml -f docker-compose.local.yml "${profiles[@]}" "$@"; }

case "${1:-}" in
  up)
    shift
    bash scripts/docker-up.sh
    bash scripts/docker-build.sh all
    compose up -d --no-build --pull never "$@"
    if [[ ${#profiles[@]} -gt 0 ]]; then
      say "waiting for the demo service (docker compose logs -f demo)"
      code=$(docker wait "$(compose ps -a -q demo)")
      compose logs --no-log-prefix demo >&2
      [[ $code == 0 ]] || die "the demo service failed (exit $code)"
    fi
    compose ps --format 'table {{.Name}}\t{{.Status}}\t{{.Ports}}' >&2
    ;;
  down) shift; compose down --remove-orphans "$@" ;;
  "") die "usage: scripts/docker-stack.sh up|down [-v]|<docker compose command>" ;;
  *) compose "$@" ;;
esac
