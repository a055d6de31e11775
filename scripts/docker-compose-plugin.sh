#!/usr/bin/env bash
# Builds Docker Compose v2 (github.com/docker/compose/v2, ./cmd) at a pinned version from the Go module
# proxy into the tools cache, once, and installs it as the docker CLI plugin
# ~/.docker/cli-plugins/docker-compose (Debian 12 ships only docker-compose 1.29).
# Later runs reuse the cached binary (seconds). Prints the plugin's path on its last line.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../tools/versions.env
source "$here/tools/versions.env"
# The pin: tools/versions.env wins when it names one (see docker/README.md).
COMPOSE_MODULE=${COMPOSE_MODULE:-github.com/docker/compose/v2}
COMPOSE_VERSION=${COMPOSE_VERSION:-v2.40.3}
cache="${LAKEMIRROR_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lakemirror/tools}"
plugin_dir="${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins"

log() { echo "docker-compose-plugin: $*" >&2; }

dir="$cache/docker-compose-$COMPOSE_VERSION"
if [[ ! -x "$dir/docker-compose" ]]; then
  command -v go >/dev/null 2>&1 || { log "Go is not installed (need go >= 1.24 to build Docker Compose v2)"; exit 1; }
  log "building docker compose $COMPOSE_VERSION from $COMPOSE_MODULE (first time only; several minutes)"
  src=$(GOFLAGS=-mod=mod go mod download -json "$COMPOSE_MODULE@$COMPOSE_VERSION" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
  [[ -n "$src" && -d "$src" ]] || { log "could not download $COMPOSE_MODULE@$COMPOSE_VERSION from the Go module proxy"; exit 1; }
  mkdir -p "$dir"
  start=$SECONDS
  # Built inside the module so that its go.mod (and replace directives) apply; niced: other builds share 2 cores.
  ( cd "$src" && CGO_ENABLED=0 nice -n 10 go build -trimpath \
      -ldflags "-s -w -X $COMPOSE_MODULE/internal.Version=$COMPOSE_VERSION" \
      -o "$dir/docker-compose.partial" ./cmd ) || { log "go build of docker compose failed; see the output above"; exit 1; }
  mv "$dir/docker-compose.partial" "$dir/docker-compose"
  log "built docker compose in $((SECONDS - start))s"
fi
mkdir -p "$plugin_dir"
if ! cmp -s "$dir/docker-compose" "$plugin_dir/docker-compose"; then
  install -m 0755 "$dir/docker-compose" "$plugin_dir/docker-compose"
  log "installed $plugin_dir/docker-compose ($COMPOSE_VERSION)"
fi
echo "$plugin_dir/docker-compose"
