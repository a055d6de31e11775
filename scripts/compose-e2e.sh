#!/usr/bin/env bash
# End-to-end check of the compose deployment on this machine (no registry):
#   1. Docker and Compose v2 ready (scripts/docker-up.sh), images built (scripts/docker-build.sh, cached);
#   2. docker-compose.yml loads in compose-go (`docker compose config -q`) alone, with the demo profile,
#      and with docker-compose.local.yml;
#   3. `--profile demo up`: PostgreSQL, Redis, migration, api, scanner, 2 verifiers, promoter, gateway,
#      two MinIO regions with replication, two lakeFS; the one-shot `demo` service must mirror its repository;
#   4. from the host, through the gateway only: a repository with objects on the source lakeFS, the mirror
#      created with the reference's curl request (host changed), the mirror branch reaching the source's
#      commit (and `lakemirror status` in the api container), an object read back through the destination
#      lakeFS and compared byte for byte;
#   5. the gateway's limits (413 for a large API body, 429 under a burst) and TLS (self-signed certificate);
#   6. the verifier scaled to 3 (a commit mirrored meanwhile) and back to 2;
#   7. `down -v`: no container, network or volume of the project left.
# Ends with "compose e2e: PASS" or "compose e2e: FAIL (<step>)" and the time of every step.
# LAKEMIRROR_E2E_KEEP=1 leaves the stack running; LAKEMIRROR_SOURCE_REF=<git ref> builds the app image from
# that commit (see scripts/docker-build.sh); LAKEMIRROR_E2E_SKIP_BUILD=1 uses the images as they are.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$LAKEMIRROR_ROOT"

PROJECT=${LAKEMIRROR_E2E_PROJECT:-lakemirror-e2e}
TIMEOUT=${LAKEMIRROR_E2E_TIMEOUT:-240}
work=$(mktemp -d /tmp/lakemirror-compose-e2e.XXXXXX)
started=$(date +%s.%N)
step_name="setup"; step_started=$started
timings=()

elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1fs", b - a }'; }
step() {
  [[ $step_name == setup ]] || timings+=("$(printf '%-52s %s' "$step_name" "$(elapsed "$step_started")")")
  step_name=$1; step_started=$(date +%s.%N)
  printf '\n==> %s\n' "$1"
}
info() { printf '    %s\n' "$*"; }
dc() {
  docker compose -p "$PROJECT" --env-file "$work/e2e.env" -f docker-compose.yml -f docker-compose.local.yml --profile demo "$@"
}
finish() {
  local code=$?
  set +e
  if [[ $code -ne 0 && -f "$work/e2e.env" ]]; then
    printf '\n---- last logs of the stack ----\n'
    dc ps -a --format 'table {{.Name}}\t{{.Status}}' 2>/dev/null
    dc logs --no-color --tail 15 2>/dev/null | cut -c1-300
  fi
  if [[ -z "${LAKEMIRROR_E2E_KEEP:-}" && -f "$work/e2e.env" ]]; then
    dc down -v --remove-orphans --timeout 20 >/dev/null 2>&1
  fi
  timings+=("$(printf '%-52s %s' "$step_name" "$(elapsed "$step_started")")")
  printf '\ntimings:\n'; printf '  %s\n' "${timings[@]}"
  printf '  %-52s %s\n' total "$(elapsed "$started")"
  if [[ $code -eq 0 ]]; then printf 'compose e2e: PASS\n'; else printf 'compose e2e: FAIL (%s)\n' "$step_name"; fi
  if [[ -n "${LAKEMIRROR_E2E_KEEP:-}" ]]; then
    printf 'stack kept: docker compose -p %s --env-file %s -f docker-compose.yml -f docker-compose.local.yml --profile demo down -v\n' "$PROJECT" "$work/e2e.env"
  else
    rm -rf "$work"
  fi
  exit $code
}
trap finish EXIT
fail() { printf '    FAILED: %s\n' "$*" >&2; exit 1; }

port_free() { ! ss -Htln "sport = :$1" | grep -q .; }
pick_port() { # PREFERRED: that port if free, else a free one above 20000
  local port=$1
  until port_free "$port"; do port=$((20000 + RANDOM % 20000)); done
  echo "$port"
}
# until_true SECONDS WHAT COMMAND...: polls COMMAND every second.
until_true() {
  local deadline=$((SECONDS + $1)) what=$2; shift 2
  until "$@"; do (( SECONDS < deadline )) || fail "$what (waited $1s)"; sleep 1; done
}

step "docker and compose v2"
for tool in curl jq openssl; do
  command -v "$tool" >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$tool" >/dev/null \
    || fail "$tool is missing (apt-get install $tool)"
done
bash scripts/docker-up.sh 2>&1 | sed 's/^/    /'

step "images (scripts/docker-build.sh; Docker layer cache)"
if [[ -n "${LAKEMIRROR_E2E_SKIP_BUILD:-}" ]]; then info "skipped (LAKEMIRROR_E2E_SKIP_BUILD)"; else bash scripts/docker-build.sh all 2>&1 | sed 's/^/    /'; fi

step "settings: .env.example with fresh passwords and free ports"
GATEWAY_PORT=$(pick_port 18000); HTTPS_PORT=$(pick_port 18443); DESTINATION_PORT=$(pick_port 18001)
{
  cat .env.example
  echo "# ---- compose e2e overrides ----"
  echo "LAKEMIRROR_SCAN_INTERVAL_MS=2000"  # no hooks installed: the e2e waits for polls
  echo "LAKEMIRROR_TAG_SCAN_INTERVAL_MS=2000"
  echo "POSTGRES_PASSWORD=e2e$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')"
  echo "REDIS_PASSWORD=e2e$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')"
  echo "GATEWAY_HTTP_PORT=$GATEWAY_PORT"
  echo "GATEWAY_HTTPS_PORT=$HTTPS_PORT"
  echo "DEMO_DESTINATION_PORT=$DESTINATION_PORT"
  echo "LAKEMIRROR_SETTINGS_FILE=$work/e2e.env"
  echo "LAKEMIRROR_VERSION=$(node -p "require('./package.json').version")"
} >"$work/e2e.env"
set -a; source "$work/e2e.env"; set +a
GW=http://127.0.0.1:$GATEWAY_PORT
DEST=http://127.0.0.1:$DESTINATION_PORT
SRC_AUTH="$LAKEMIRROR_SOURCE_LAKEFS_ACCESS_KEY_ID:$LAKEMIRROR_SOURCE_LAKEFS_SECRET_ACCESS_KEY"
DEST_AUTH="$LAKEMIRROR_REGION_REGION_B_LAKEFS_ACCESS_KEY_ID:$LAKEMIRROR_REGION_REGION_B_LAKEFS_SECRET_ACCESS_KEY"
info "project $PROJECT, gateway $GW (https :$HTTPS_PORT), destination lakeFS $DEST"

step "compose files load in compose-go (docker compose config -q)"
for variant in "-f docker-compose.yml" "-f docker-compose.yml --profile demo" \
  "-f docker-compose.yml -f docker-compose.local.yml" "-f docker-compose.yml -f docker-compose.local.yml --profile demo"; do
  # shellcheck disable=SC2086
  docker compose --env-file "$work/e2e.env" $variant config -q || fail "docker compose $variant config"
  info "ok: $variant"
done
[[ $(dc config --services | wc -l) -eq 14 ]] || fail "expected 14 services with the demo profile, got: $(dc config --services | tr '\n' ' ')"

step "clean start (leftovers of an earlier run removed)"
dc down -v --remove-orphans --timeout 10 >/dev/null 2>&1 || true

step "docker compose --profile demo up"
dc up -d --no-build --pull never >"$work/up.log" 2>&1 || { tail -n 20 "$work/up.log" | sed 's/^/    /'; fail "docker compose up"; }
dc ps --format 'table {{.Name}}\t{{.Status}}' | sed 's/^/    /'

step "demo service: mirrors its repository through the gateway"
demo=$(dc ps -a -q demo)
[[ -n "$demo" ]] || fail "no demo container"
code=$(timeout "$TIMEOUT" docker wait "$demo") || fail "the demo service did not finish within ${TIMEOUT}s"
docker logs "$demo" 2>&1 | sed 's/^/    /'
[[ $code == 0 ]] || fail "the demo service exited with $code"

step "mirror created from the host with the reference's curl request"
repo=e2e
code=$(curl -sS -o "$work/out" -w '%{http_code}' -u "$SRC_AUTH" -X POST -H 'Content-Type: application/json' \
  --data "{\"name\": \"$repo\", \"storage_namespace\": \"s3://$LAKEMIRROR_SOURCE_BUCKET/mirrors/$repo\", \"default_branch\": \"main\"}" \
  "$GW/api/v1/repositories")
[[ $code == 201 ]] || fail "creating repository $repo through the gateway: $code $(cat "$work/out")"
head -c 1048576 /dev/urandom >"$work/blob.bin"
for path in data/blob.bin data/readme.txt data/nested/one.txt; do
  file="$work/blob.bin"; [[ $path == data/blob.bin ]] || { echo "e2e $path $(date)" >"$work/small.txt"; file="$work/small.txt"; }
  curl -fsS -o /dev/null -u "$SRC_AUTH" -X POST -F "content=@$file" "$GW/api/v1/repositories/$repo/branches/main/objects?path=$path" \
    || fail "uploading $path through the gateway"
done
source_head=$(curl -fsS -u "$SRC_AUTH" -X POST -H 'Content-Type: application/json' --data '{"message": "compose e2e: first commit"}' \
  "$GW/api/v1/repositories/$repo/branches/main/commits" | jq -r .id)
info "source $repo/main at $source_head (3 objects, 1 MiB blob)"
# The request of lakeFS Cloud's documentation (reference/lakefs-cloud-mirroring.md), host changed to the gateway.
mirror_started=$(date +%s.%N)
curl --location "$GW/service/replication/v1/repositories/$repo/mirrors" \
--header 'Content-Type: application/json' \
-u "$SRC_AUTH" \
-X POST \
--data "{
    \"name\": \"$repo-mirror\",
    \"region\": \"region-b\",
    \"storage_namespace\": \"s3://$LAKEMIRROR_REGION_REGION_B_BUCKET/mirrors/$repo\"
}" -sS -o "$work/mirror" -w '%{http_code}\n' >"$work/mirror.code"
[[ $(cat "$work/mirror.code") == 201 ]] || fail "creating the mirror: $(cat "$work/mirror.code") $(cat "$work/mirror")"
mirror=$(jq -r .id "$work/mirror")
info "mirror: $(jq -c '{id, region, storage_namespace, state}' "$work/mirror")"

mirrored_head() { curl -fsS -u "$DEST_AUTH" "$DEST/api/v1/repositories/$mirror/branches/main" 2>/dev/null | jq -r '.commit_id // empty'; }
mirror_at() { [[ "$(mirrored_head)" == "$1" ]]; }

step "mirror branch main reaches the source's commit"
until_true "$TIMEOUT" "mirror branch main never reached $source_head" mirror_at "$source_head"
info "mirrored in $(elapsed "$mirror_started") after the mirror was created"
curl -fsS -u "$SRC_AUTH" "$GW/service/replication/v1/repositories/$repo/mirrors/$mirror/status" \
  | jq -c '{stalled, branches: [.branches[] | {branch, up_to_date, lag_commits}]}' | sed 's/^/    status: /'

dc exec -T api lakemirror status "$repo" "$mirror" >"$work/cli" 2>&1 || fail "lakemirror status in the api container: $(cat "$work/cli")"
sed 's/^/    cli: /' "$work/cli" | head -n 8

step "object read through the destination lakeFS"
curl -fsS -u "$DEST_AUTH" -o "$work/blob.read" "$DEST/api/v1/repositories/$mirror/refs/main/objects?path=data/blob.bin" \
  || fail "reading data/blob.bin from the mirror"
cmp -s "$work/blob.bin" "$work/blob.read" || fail "the mirror's data/blob.bin differs from the uploaded one"
info "data/blob.bin: $(sha256sum <"$work/blob.read" | cut -c1-16)… identical to the upload (1 MiB)"
code=$(curl -sS -o /dev/null -w '%{http_code}' -u "$DEST_AUTH" -X POST -F "content=@$work/small.txt" \
  "$DEST/api/v1/repositories/$mirror/branches/main/objects?path=not-allowed.txt")
[[ $code == 403 || $code == 400 ]] || fail "writing to the read-only mirror answered $code"
info "writing to the mirror is refused ($code): read-only"

step "gateway limits: body size and rate"
head -c 70000 /dev/zero | tr '\0' 'x' >"$work/large.json"
code=$(curl -sS -o /dev/null -w '%{http_code}' -u "$SRC_AUTH" -X POST -H 'Content-Type: application/json' \
  --data-binary "@$work/large.json" "$GW/service/replication/v1/repositories/$repo/mirrors")
[[ $code == 413 ]] || fail "a 70 kB API body answered $code, not 413"
info "70 kB body to the replication API: 413 (GATEWAY_API_MAX_BODY=$GATEWAY_API_MAX_BODY)"
# One curl sending all 120 at once: 120 curl processes started one by one on a busy 2-core machine
# arrive slower than the rate limit and would prove nothing.
for _ in $(seq 1 120); do printf 'url = "%s"\noutput = "/dev/null"\n' "$GW/service/replication/v1/health"; done >"$work/burst.cfg"
curl -s --no-progress-meter --parallel --parallel-immediate --parallel-max 120 -w '%{http_code}\n' --config "$work/burst.cfg" >"$work/burst" 2>/dev/null || true
limited=$(grep -c '^429$' "$work/burst" || true); ok=$(grep -c '^200$' "$work/burst" || true)
(( limited > 0 && ok > 0 )) || fail "a burst of 120 requests got $ok answers 200 and $limited answers 429"
info "burst of 120 requests: $ok answered, $limited limited with 429 (GATEWAY_API_RATE=$GATEWAY_API_RATE, burst $GATEWAY_API_BURST)"

step "verifier scaled to 3, a commit mirrored, back to 2"
dc up -d --no-deps --no-build --pull never --scale "verifier=3" verifier >/dev/null 2>&1
healthy_verifiers() { [[ $(dc ps --format '{{.Service}} {{.Health}}' | grep -c '^verifier healthy') -eq $1 ]]; }
until_true 90 "3 healthy verifiers" healthy_verifiers 3
info "$(dc ps --format '{{.Name}} {{.Status}}' | grep verifier | tr '\n' ';' | sed 's/;$//; s/;/; /g')"
echo "e2e while 3 verifiers run $(date)" >"$work/small.txt"
curl -fsS -o /dev/null -u "$SRC_AUTH" -X POST -F "content=@$work/small.txt" "$GW/api/v1/repositories/$repo/branches/main/objects?path=data/scaled.txt"
source_head=$(curl -fsS -u "$SRC_AUTH" -X POST -H 'Content-Type: application/json' --data '{"message": "compose e2e: with 3 verifiers"}' \
  "$GW/api/v1/repositories/$repo/branches/main/commits" | jq -r .id)
until_true "$TIMEOUT" "mirror branch main never reached $source_head" mirror_at "$source_head"
info "commit $source_head mirrored with 3 verifiers"
dc up -d --no-deps --no-build --pull never --scale "verifier=$LAKEMIRROR_VERIFIER_REPLICAS" verifier >/dev/null 2>&1
until_true 60 "back to $LAKEMIRROR_VERIFIER_REPLICAS verifiers" healthy_verifiers "$LAKEMIRROR_VERIFIER_REPLICAS"
running=$(dc ps -a --format '{{.Service}}' | grep -c '^verifier$')
[[ $running -eq $LAKEMIRROR_VERIFIER_REPLICAS ]] || fail "$running verifier containers after scaling back"
info "back to $running verifiers"

step "gateway TLS (self-signed certificate)"
mkdir -p "$work/tls"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$work/tls/tls.key" -out "$work/tls/tls.crt" >/dev/null 2>&1 \
  || fail "openssl could not make a certificate"
chmod 0644 "$work/tls/tls.key"
GATEWAY_TLS=on GATEWAY_TLS_DIR="$work/tls" dc up -d --no-deps --no-build --pull never gateway >/dev/null 2>&1
gateway_healthy() { [[ $(dc ps --format '{{.Service}} {{.Health}}' | grep -c '^gateway healthy') -eq 1 ]]; }
until_true 60 "the gateway with TLS" gateway_healthy
code=$(curl -sS -o /dev/null -w '%{http_code}' --cacert "$work/tls/tls.crt" "https://localhost:$HTTPS_PORT/api/v1/healthcheck")
[[ $code == 204 ]] || fail "lakeFS health through HTTPS answered $code"
code=$(curl -sS -o /dev/null -w '%{http_code}' --cacert "$work/tls/tls.crt" -u "$SRC_AUTH" \
  "https://localhost:$HTTPS_PORT/service/replication/v1/repositories/$repo/mirrors/$mirror")
[[ $code == 200 ]] || fail "the replication API through HTTPS answered $code"
code=$(curl -sS -o /dev/null -w '%{http_code}' "$GW/api/v1/healthcheck")
[[ $code == 308 ]] || fail "plain HTTP answered $code, not a redirect (308)"
info "HTTPS: lakeFS 204, replication API 200; plain HTTP redirects (308)"

step "docker compose down -v: nothing left"
dc down -v --remove-orphans --timeout 30 2>&1 | tail -n 1 | sed 's/^/    /'
left_containers=$(docker ps -a -q --filter "label=com.docker.compose.project=$PROJECT" | wc -l)
left_networks=$(docker network ls -q --filter "label=com.docker.compose.project=$PROJECT" | wc -l)
left_volumes=$(docker volume ls -q --filter "label=com.docker.compose.project=$PROJECT" | wc -l)
(( left_containers + left_networks + left_volumes == 0 )) \
  || fail "left behind: $left_containers containers, $left_networks networks, $left_volumes volumes"
info "0 containers, 0 networks, 0 volumes of $PROJECT"
LAKEMIRROR_E2E_KEEP=""
