#!/usr/bin/env bash
# Makes Docker usable on this machine (idempotent):
#   1. installs Debian's docker.io when dockerd is missing (services are not started by apt),
#   2. starts dockerd when no daemon answers, with networking these machines allow (below),
#   3. installs the Docker Compose v2 CLI plugin (scripts/docker-compose-plugin.sh, cached build).
# A daemon that already answers (a developer's own Docker) is used as it is.
#
# How dockerd runs here: no systemd, so the script starts it in the background and records its PID
# (scripts/docker-down.sh --daemon stops it by that PID). Containers get bridge networks that dockerd
# creates for compose (addresses from LAKEMIRROR_DOCKER_POOL, default 172.29.0.0/16), and:
#   --iptables=false --ip-masq=false  no NAT and no firewall rules on the host;
#   --ip-forward=false                the host never forwards a container's packets anywhere, so
#                                     containers reach only each other and the host (published ports
#                                     go through docker-proxy on 127.0.0.1);
#   --bridge=none                     no default docker0 bridge: builds use `--network host`
#                                     (scripts/docker-build.sh), the stack uses compose's networks.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

POOL=${LAKEMIRROR_DOCKER_POOL:-172.29.0.0/16}
S=$LAKEMIRROR_STATE_DIR
mkdir -p "$S"

if ! command -v dockerd >/dev/null 2>&1; then
  [[ $(id -u) == 0 ]] || die "dockerd is not installed; as root: apt-get install docker.io"
  say "installing Debian's docker.io (apt-get)"
  # Debian starts services after installing them; dockerd must start with the options below instead.
  guard=""
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    guard=/usr/sbin/policy-rc.d
  fi
  compgen -G '/var/lib/apt/lists/*_Packages' >/dev/null || apt-get update >"$S/docker-install.log" 2>&1 || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends docker.io >>"$S/docker-install.log" 2>&1 \
    || { [[ -n $guard ]] && rm -f "$guard"; die "apt-get install docker.io failed; see $S/docker-install.log (run apt-get update first?)"; }
  [[ -n $guard ]] && rm -f "$guard"
  say "  docker.io $(dpkg-query -W -f '${Version}' docker.io) installed"
fi

if docker info >/dev/null 2>&1; then
  say "  dockerd already answers ($(docker version -f '{{.Server.Version}}' 2>/dev/null))"
else
  [[ $(id -u) == 0 ]] || die "dockerd is not running and starting it needs root"
  if [[ -f "$S/dockerd.pid" ]] && kill -0 "$(cat "$S/dockerd.pid")" 2>/dev/null; then
    say "  dockerd (pid $(cat "$S/dockerd.pid")) is starting"
  else
    say "starting dockerd (log $S/dockerd.log)"
    nohup dockerd \
      --iptables=false --ip-masq=false --ip-forward=false --bridge=none \
      --default-address-pool "base=$POOL,size=24" \
      --log-level=warn >>"$S/dockerd.log" 2>&1 &
    echo $! >"$S/dockerd.pid"
  fi
  wait_for 60 dockerd docker info || die "dockerd did not answer within 60s; see $S/dockerd.log: $(tail -n 3 "$S/dockerd.log")"
  say "  dockerd $(docker version -f '{{.Server.Version}}') running (pid $(cat "$S/dockerd.pid"))"
fi

bash "$LAKEMIRROR_ROOT/scripts/docker-compose-plugin.sh" >/dev/null
say "  $(docker compose version)"
