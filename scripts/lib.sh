# Shared shell helpers for lakemirror's scripts. Sourced, not run.
LAKEMIRROR_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Running servers' data, logs and PIDs live outside the checkout so that every clone on this
# machine shares one environment (and CI's clean clone finds it, or starts it).
LAKEMIRROR_STATE_DIR="${LAKEMIRROR_STATE_DIR:-${XDG_STATE_HOME:-$HOME/.local/state}/lakemirror}"
LAKEMIRROR_ENV_FILE="$LAKEMIRROR_ROOT/.lakemirror/env"

# The AWS SDK warns on every run that its releases from 2027 need Node 22; the locked version works on Node 20.
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=${AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED:-true}

say() { printf '%s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# wait_for SECONDS DESCRIPTION COMMAND...: polls COMMAND until it succeeds.
wait_for() {
  local seconds=$1 what=$2; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    (( SECONDS < deadline )) || return 1
    sleep 0.3
  done
}

# stop_recorded NAME: stops the process whose PID scripts recorded in $LAKEMIRROR_STATE_DIR/NAME.pid.
stop_recorded() {
  local pidfile="$LAKEMIRROR_STATE_DIR/$1.pid" pid
  [[ -f "$pidfile" ]] || return 0
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    say "stopped $1 (pid $pid)"
  fi
  rm -f "$pidfile"
}

# Installs node_modules when missing or older than package-lock.json.
ensure_node_modules() {
  command -v node >/dev/null 2>&1 || die "Node.js is not installed (lakemirror needs Node 20 or newer)"
  local stamp="$LAKEMIRROR_ROOT/node_modules/.package-lock.json"
  if [[ ! -f "$stamp" || "$LAKEMIRROR_ROOT/package-lock.json" -nt "$stamp" ]]; then
    say "installing npm dependencies (npm ci)"
    (cd "$LAKEMIRROR_ROOT" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed"
  fi
}

# Installs Debian's Chromium when missing: the status page's browser test drives it with playwright-core.
ensure_chromium() {
  [[ -x /usr/bin/chromium ]] && return 0
  command -v apt-get >/dev/null 2>&1 || die "Chromium is missing at /usr/bin/chromium and there is no apt-get to install it"
  say "installing Chromium (Debian package)"
  local sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"
  { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null; } || die "could not install Chromium"
}
