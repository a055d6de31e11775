#!/usr/bin/env bash
# Builds the pinned lakeFS, lakectl, MinIO and mc binaries from the Go module proxy into a
# cache directory outside git, once; later runs (and clean clones on the same machine) reuse it.
# Prints the bin directory on its last line.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../tools/versions.env
source "$here/tools/versions.env"
cache="${LAKEMIRROR_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lakemirror/tools}"

command -v go >/dev/null 2>&1 || { echo "tools: Go is not installed (need go >= 1.24 on PATH to build lakeFS and MinIO)" >&2; exit 1; }

log() { echo "tools: $*" >&2; }

# build NAME MODULE VERSION PACKAGE: builds PACKAGE of MODULE@VERSION inside the downloaded module,
# so that the module's own go.mod (including its replace directives) applies.
build() {
  local name=$1 module=$2 version=$3 pkg=$4
  local dir="$cache/$name-$version"
  if [[ -x "$dir/$name" ]]; then return 0; fi
  log "building $name $version from $module (first time only; this takes a few minutes)"
  local src
  src=$(GOFLAGS=-mod=mod go mod download -json "$module@$version" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
  [[ -n "$src" && -d "$src" ]] || { echo "tools: could not download $module@$version from the Go module proxy" >&2; exit 1; }
  mkdir -p "$dir"
  local start=$SECONDS
  ( cd "$src" && CGO_ENABLED=0 go build -trimpath -o "$dir/$name.partial" "$pkg" ) \
    || { echo "tools: go build of $name ($module@$version) failed; see the output above" >&2; exit 1; }
  mv "$dir/$name.partial" "$dir/$name"
  log "built $name in $((SECONDS - start))s"
}

build lakefs  "$LAKEFS_MODULE" "$LAKEFS_VERSION" ./cmd/lakefs
build lakectl "$LAKEFS_MODULE" "$LAKEFS_VERSION" ./cmd/lakectl
build minio   "$MINIO_MODULE"  "$MINIO_VERSION"  .
build mc      "$MC_MODULE"     "$MC_VERSION"     .

bin="$cache/bin"
mkdir -p "$bin"
ln -sf "$cache/lakefs-$LAKEFS_VERSION/lakefs" "$bin/lakefs"
ln -sf "$cache/lakectl-$LAKEFS_VERSION/lakectl" "$bin/lakectl"
ln -sf "$cache/minio-$MINIO_VERSION/minio" "$bin/minio"
ln -sf "$cache/mc-$MC_VERSION/mc" "$bin/mc"
echo "$bin"
