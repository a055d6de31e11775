#!/usr/bin/env bash
# Builds lakemirror's images on this machine, without a registry:
#   app       lakemirror/lakemirror:<version>   (docker/Dockerfile: api, scanner, verifier, promoter, migrate, CLI)
#   gateway   lakemirror/gateway:<version>      (docker/gateway: nginx)
#   infra     lakemirror/postgres:15-local, lakemirror/redis:7-local  (Debian's packages; docker-compose.local.yml)
#   demo      lakemirror/demo-lakefs:pinned, lakemirror/demo-minio:pinned  (binaries from scripts/tools.sh)
# Usage: scripts/docker-build.sh [app|gateway|infra|demo|all]...   (default: all)
# <version> is package.json's. Base images: the local ones of scripts/docker-base-image.sh (built when
# missing), or Docker Hub's official ones with LAKEMIRROR_BASE=official (needs a registry).
# Builds use Docker's layer cache; LAKEMIRROR_NO_CACHE=1 builds from scratch. Prints each image and its time.
# LAKEMIRROR_SOURCE_REF=<git ref> builds the app image from that commit's apps/, libs/ and tsconfig.base.json
# (git archive, read-only) with this checkout's build files, instead of the working tree: a stable
# snapshot while others edit the code.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=../tools/versions.env
source "$LAKEMIRROR_ROOT/tools/versions.env"
cd "$LAKEMIRROR_ROOT"

VERSION=$(node -p "require('./package.json').version")
REVISION=$(git rev-parse HEAD 2>/dev/null || echo unknown)
CREATED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
cache="${LAKEMIRROR_DOCKER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lakemirror/docker}"
targets=("$@"); [[ ${#targets[@]} -gt 0 ]] || targets=(all)

docker info >/dev/null 2>&1 || die "dockerd does not answer: run scripts/docker-up.sh first"
example_version=$(sed -n 's/^LAKEMIRROR_VERSION=//p' .env.example)
[[ "$example_version" == "$VERSION" ]] || say "warning: .env.example has LAKEMIRROR_VERSION=$example_version but package.json says $VERSION"
if [[ "${LAKEMIRROR_BASE:-local}" == official ]]; then
  NODE_BASE=node:20-bookworm-slim; DEBIAN_BASE=debian:bookworm-slim
else
  NODE_BASE=${LAKEMIRROR_NODE_BASE:-lakemirror/node-base:20-bookworm}
  DEBIAN_BASE=${LAKEMIRROR_DEBIAN_BASE:-lakemirror/debian-base:bookworm}
  # Never let a missing local base turn into a pull from Docker Hub.
  if ! docker image inspect "$NODE_BASE" "$DEBIAN_BASE" >/dev/null 2>&1; then
    bash "$LAKEMIRROR_ROOT/scripts/docker-base-image.sh"
  fi
fi

# build TAG CONTEXT DOCKERFILE [docker build arguments...]: the classic builder (Debian's dockerd has no
# buildx), host networking for RUN steps (dockerd runs without a default bridge), output in a log file.
build() {
  local tag=$1 context=$2 dockerfile=$3; shift 3
  local log="$LAKEMIRROR_STATE_DIR/docker-build-${tag//[\/:]/_}.log" start=$SECONDS
  mkdir -p "$LAKEMIRROR_STATE_DIR"
  local args=(--network host --force-rm -t "$tag" -f "$dockerfile")
  [[ -n "${LAKEMIRROR_NO_CACHE:-}" ]] && args+=(--no-cache)
  if ! DOCKER_BUILDKIT=0 docker build "${args[@]}" "$@" "$context" >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    die "building $tag failed; full log: $log"
  fi
  local cached steps
  cached=$(grep -c -- '---> Using cache' "$log" || true); steps=$(grep -c '^Step ' "$log" || true)
  say "  $tag  $(docker image inspect -f '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1e6}')  ${cached}/${steps} steps cached  $((SECONDS - start))s"
}

# stage NAME FILES...: a build context with copies of the tool binaries (Docker does not follow symlinks out of a context).
stage() {
  local dir="$cache/context-$1"; shift
  mkdir -p "$dir"
  for file in "$@"; do
    cmp -s "$file" "$dir/$(basename "$file")" || cp -L "$file" "$dir/$(basename "$file")"
  done
  echo "$dir"
}

for target in "${targets[@]}"; do
  case $target in
    app | all)
      context=.
      if [[ -n "${LAKEMIRROR_SOURCE_REF:-}" ]]; then
        context="$cache/context-app"
        rm -rf "$context" && mkdir -p "$context"
        git archive "$LAKEMIRROR_SOURCE_REF" apps libs tsconfig.base.json | tar -x -C "$context"
        cp -r package.json package-lock.json .dockerignore tools docker "$context/"
        say "  app sources from $LAKEMIRROR_SOURCE_REF ($(git rev-parse --short "$LAKEMIRROR_SOURCE_REF"))"
        REVISION=$(git rev-parse "$LAKEMIRROR_SOURCE_REF")
      fi
      # The machine's own CAs (a TLS-inspecting proxy's, say) for npm during the build only.
      ca=$(cat /usr/local/share/ca-certificates/*.crt 2>/dev/null || true)
      build "lakemirror/lakemirror:$VERSION" "$context" "$context/docker/Dockerfile" --build-arg "BUILD_CA_CERTS=$ca" \
        --build-arg "BASE_IMAGE=$NODE_BASE" --build-arg "VERSION=$VERSION" \
        --build-arg "REVISION=$REVISION" --build-arg "CREATED=$CREATED"
      ;;&
    gateway | all)
      build "lakemirror/gateway:$VERSION" docker/gateway docker/gateway/Dockerfile \
        --build-arg "BASE_IMAGE=$DEBIAN_BASE" --build-arg "VERSION=$VERSION"
      ;;&
    infra | all)
      build lakemirror/postgres:15-local docker/postgres docker/postgres/Dockerfile --build-arg "BASE_IMAGE=$DEBIAN_BASE"
      build lakemirror/redis:7-local docker/redis docker/redis/Dockerfile --build-arg "BASE_IMAGE=$DEBIAN_BASE"
      ;;&
    demo | all)
      bin=$(bash scripts/tools.sh | tail -n 1)
      context=$(stage lakefs "$bin/lakefs" "$bin/lakectl" docker/demo/demo-setup.sh)
      build lakemirror/demo-lakefs:pinned "$context" "$LAKEMIRROR_ROOT/docker/demo/lakefs.Dockerfile" \
        --build-arg "BASE_IMAGE=$DEBIAN_BASE" --build-arg "LAKEFS_VERSION=$LAKEFS_VERSION"
      docker tag lakemirror/demo-lakefs:pinned "lakemirror/demo-lakefs:$LAKEFS_VERSION"
      context=$(stage minio "$bin/minio" "$bin/mc" docker/demo/minio-setup.sh)
      build lakemirror/demo-minio:pinned "$context" "$LAKEMIRROR_ROOT/docker/demo/minio.Dockerfile" \
        --build-arg "BASE_IMAGE=$DEBIAN_BASE" --build-arg "MINIO_VERSION=$MINIO_VERSION"
      docker tag lakemirror/demo-minio:pinned "lakemirror/demo-minio:$MINIO_VERSION"
      ;;
    app | gateway | infra) ;;
    *) die "unknown image set '$target' (app, gateway, infra, demo or all)" ;;
  esac
done
