#!/usr/bin/env bash
# Builds the local base images these machines use instead of Docker Hub's (no registry is reachable):
#   lakemirror/debian-base:bookworm  Debian 12 "minbase" from Debian's archive (debootstrap), imported with
#                                    `docker import`, plus one layer with bookworm-updates/-security applied;
#                                    stands in for debian:bookworm-slim (postgres, redis, gateway, demo images).
#   lakemirror/node-base:20-bookworm that plus Node.js 20 and npm, laid out like node:20-bookworm-slim
#                                    (/usr/local/bin/node, /usr/local/lib/node_modules/npm); stands in for it.
# Node.js: Debian 12 ships only Node 18, so the Node 20 binary is this machine's own (`command -v node`,
# the one the tests run on), copied in with its npm; the script refuses anything but Node 20.
# Both images are cached: present tags are kept (--refresh rebuilds); the debootstrap tree is also cached
# as a tarball in ~/.cache/lakemirror/docker, so a wiped Docker re-imports it in seconds.
# Needs root (debootstrap) and a running dockerd (scripts/docker-up.sh).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DEBIAN_TAG=${LAKEMIRROR_DEBIAN_BASE:-lakemirror/debian-base:bookworm}
NODE_TAG=${LAKEMIRROR_NODE_BASE:-lakemirror/node-base:20-bookworm}
MIRROR=${LAKEMIRROR_DEBIAN_MIRROR:-http://deb.debian.org/debian}
cache="${LAKEMIRROR_DOCKER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lakemirror/docker}"
refresh=false; [[ "${1:-}" == "--refresh" ]] && refresh=true
present() { docker image inspect "$1" >/dev/null 2>&1; }

mkdir -p "$cache"
docker info >/dev/null 2>&1 || die "dockerd does not answer: run scripts/docker-up.sh first"

if $refresh || ! present "$DEBIAN_TAG"; then
  tarball="$cache/debian-bookworm-minbase.tar"
  if $refresh || [[ ! -s "$tarball" ]]; then
    command -v debootstrap >/dev/null 2>&1 || compgen -G '/var/lib/apt/lists/*_Packages' >/dev/null || apt-get update >/dev/null
    command -v debootstrap >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends debootstrap >/dev/null \
      || die "debootstrap is missing and apt-get install debootstrap failed"
    root=$(mktemp -d /tmp/lakemirror-rootfs.XXXXXX)
    trap 'rm -rf "$root"' EXIT
    say "debootstrap: Debian bookworm minbase from $MIRROR (first time only; a few minutes)"
    start=$SECONDS
    debootstrap --variant=minbase --include=ca-certificates bookworm "$root" "$MIRROR" >"$cache/debootstrap.log" 2>&1 \
      || die "debootstrap failed; see $cache/debootstrap.log"
    # Sources for later apt-get calls in Dockerfiles, security updates included.
    rm -f "$root/etc/apt/sources.list"
    cat >"$root/etc/apt/sources.list.d/debian.sources" <<SOURCES
Types: deb
URIs: $MIRROR
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${MIRROR%/debian}/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
    # Image builds must never start services; keep images small.
    printf '#!/bin/sh\n# No services start inside image builds.\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
    chmod 0755 "$root/usr/sbin/policy-rc.d"
    printf 'Acquire::Languages "none";\n' >"$root/etc/apt/apt.conf.d/90lakemirror-no-languages"
    rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb \
      "$root"/var/log/*.log "$root"/var/log/apt/* "$root"/etc/hostname "$root"/etc/resolv.conf "$root"/etc/machine-id
    tar --numeric-owner --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' -C "$root" -cf "$tarball.partial" .
    mv "$tarball.partial" "$tarball"
    rm -rf "$root"; trap - EXIT
    say "  debootstrap done in $((SECONDS - start))s ($(du -h "$tarball" | cut -f1))"
  fi
  start=$SECONDS
  docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'CMD ["bash"]' \
    --message "Debian bookworm minbase, debootstrap from $MIRROR" \
    "$tarball" "$DEBIAN_TAG-debootstrap" >/dev/null
  # Updates and security fixes published since the point release, as one layer.
  DOCKER_BUILDKIT=0 docker build --network host --force-rm -q -t "$DEBIAN_TAG" \
    --build-arg "ROOTFS=$DEBIAN_TAG-debootstrap" \
    --label "org.opencontainers.image.created=$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
    -f "$LAKEMIRROR_ROOT/docker/base/debian-base.Dockerfile" "$LAKEMIRROR_ROOT/docker/base" >"$cache/debian-base-build.log" 2>&1 \
    || die "could not apply Debian updates to $DEBIAN_TAG; see $cache/debian-base-build.log"
  docker rmi "$DEBIAN_TAG-debootstrap" >/dev/null 2>&1 || true
  say "  $DEBIAN_TAG imported and updated in $((SECONDS - start))s"
else
  say "  $DEBIAN_TAG present (cached)"
fi

if $refresh || ! present "$NODE_TAG"; then
  node_bin=$(readlink -f "$(command -v node)") || die "Node.js 20 is not installed on this machine"
  version=$("$node_bin" -p process.versions.node)
  [[ $version == 20.* ]] || die "the machine's node is $version; the image needs Node 20"
  npm_dir="$(npm root -g)/npm"
  [[ -f "$npm_dir/bin/npm-cli.js" ]] || die "npm not found at $npm_dir"
  context=$(mktemp -d /tmp/lakemirror-node-base.XXXXXX)
  trap 'rm -rf "$context"' EXIT
  cp "$node_bin" "$context/node"
  cp -a "$npm_dir" "$context/npm"
  cp "$LAKEMIRROR_ROOT/docker/base/node-base.Dockerfile" "$context/Dockerfile"
  start=$SECONDS
  DOCKER_BUILDKIT=0 docker build --network none --force-rm -q -t "$NODE_TAG" \
    --build-arg "DEBIAN_BASE=$DEBIAN_TAG" --build-arg "NODE_VERSION=$version" \
    --label "org.opencontainers.image.description=Debian 12 with the build machine's Node.js $version ($node_bin) and npm $(npm -v)" \
    "$context" >"$cache/node-base-build.log" 2>&1 || die "could not build $NODE_TAG; see $cache/node-base-build.log"
  rm -rf "$context"; trap - EXIT
  say "  $NODE_TAG built (Node.js $version) in $((SECONDS - start))s"
else
  say "  $NODE_TAG present (cached)"
fi
