#!/usr/bin/env bash
# Starts lakemirror's local multi-region environment on loopback (idempotent: running services are kept):
#   MinIO region A (:9100) replicating its bucket to MinIO regions B (:9200) and C (:9300) with MinIO bucket replication,
#   lakeFS "source" (:8100) on region A, lakeFS "destination" (:8200) on region B, lakeFS "region-c" (:8300) on region C,
#   and the machine's Redis and PostgreSQL (started if they do not answer).
# Writes every endpoint and credential to .lakemirror/env.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

BIN=$(bash "$LAKEMIRROR_ROOT/scripts/tools.sh" | tail -n 1)
export PATH="$BIN:$PATH"
mkdir -p "$LAKEMIRROR_STATE_DIR" "$(dirname "$LAKEMIRROR_ENV_FILE")"
S=$LAKEMIRROR_STATE_DIR

MINIO_USER=lakemirror
MINIO_PASSWORD=lakemirror-minio-secret
A_PORT=9100; B_PORT=9200; C_PORT=9300
A_BUCKET=lakemirror-region-a; B_BUCKET=lakemirror-region-b; C_BUCKET=lakemirror-region-c
SOURCE_PORT=8100; DEST_PORT=8200; C_LAKEFS_PORT=8300
SOURCE_KEY=AKIALAKEMIRRORSOURCE; SOURCE_SECRET=lakemirror-source-admin-secret-key-000001
DEST_KEY=AKIALAKEMIRRORDESTIN; DEST_SECRET=lakemirror-destination-admin-secret-key-01
C_KEY=AKIALAKEMIRRORREGONC; C_SECRET=lakemirror-region-c-admin-secret-key-0001
# The three lakeFS above cut ranges of about 1,000 entries, so tests see several ranges with few
# objects. A fourth, on region A with lakeFS's own range sizes (ranges of tens of thousands of
# entries, as in production), runs only when LAKEMIRROR_ENV_DEFAULT_RANGES_LAKEFS=1 (the range
# reader's benchmark asks for it).
DEFAULT_RANGES_PORT=8400; DEFAULT_RANGES_KEY=AKIALAKEMIRRORRANGES; DEFAULT_RANGES_SECRET=lakemirror-default-ranges-admin-secret-01
RANGE_RAGGEDNESS=${LAKEMIRROR_ENV_RANGE_RAGGEDNESS:-1000}

alive() { [[ -f "$S/$1.pid" ]] && kill -0 "$(cat "$S/$1.pid")" 2>/dev/null; }

# start NAME HEALTH_URL COMMAND...: starts a server in the background unless it already runs.
start() {
  local name=$1 health=$2; shift 2
  if alive "$name" && curl -sf "$health" >/dev/null; then say "  $name already running (pid $(cat "$S/$name.pid"))"; return; fi
  if curl -sf "$health" >/dev/null 2>&1; then die "$name: something not started by lakemirror already answers at $health; stop it or run scripts/env-down.sh"; fi
  # A session of their own: the servers outlive the shell (or tool) that started them, whatever it does to its process group.
  setsid nohup "$@" >>"$S/$name.log" 2>&1 &
  echo $! >"$S/$name.pid"
  wait_for 60 "$name" curl -sf "$health" || die "$name did not become healthy within 60s; see $S/$name.log"
  say "  $name started (pid $(cat "$S/$name.pid"), log $S/$name.log)"
}

say "starting the lakemirror environment (state in $S)"

# Object stores: three MinIO servers, three "regions".
for region in a b c; do
  case $region in a) port=$A_PORT ;; b) port=$B_PORT ;; c) port=$C_PORT ;; esac
  mkdir -p "$S/minio-$region"
  MINIO_ROOT_USER=$MINIO_USER MINIO_ROOT_PASSWORD=$MINIO_PASSWORD MINIO_BROWSER=off MINIO_UPDATE=off \
    start "minio-$region" "http://127.0.0.1:$port/minio/health/live" \
    minio server --quiet --address "127.0.0.1:$port" "$S/minio-$region"
done

MC=(mc --config-dir "$S/mc" --quiet)
"${MC[@]}" alias set region-a "http://127.0.0.1:$A_PORT" $MINIO_USER $MINIO_PASSWORD >/dev/null
"${MC[@]}" alias set region-b "http://127.0.0.1:$B_PORT" $MINIO_USER $MINIO_PASSWORD >/dev/null
"${MC[@]}" alias set region-c "http://127.0.0.1:$C_PORT" $MINIO_USER $MINIO_PASSWORD >/dev/null
"${MC[@]}" mb --ignore-existing "region-a/$A_BUCKET" "region-b/$B_BUCKET" "region-c/$C_BUCKET" >/dev/null
"${MC[@]}" version enable "region-a/$A_BUCKET" >/dev/null
"${MC[@]}" version enable "region-b/$B_BUCKET" >/dev/null
"${MC[@]}" version enable "region-c/$C_BUCKET" >/dev/null
# replicate_to REGION PORT BUCKET PRIORITY: one rule (and remote target) per region, added when missing,
# so that an environment made before region C existed gains it without touching region B's rule.
# A busy MinIO can fail the listing: that is retried, never taken for "no rule" (adding it again is refused).
replication_rules() {
  local out attempt
  for attempt in 1 2 3 4 5; do
    if out=$("${MC[@]}" replicate ls "region-a/$A_BUCKET" --json 2>&1); then printf '%s\n' "$out"; return; fi
    [[ $out == *"replication configuration not set"* ]] && return
    sleep "$attempt"
  done
  die "could not read the replication rules of region-a/$A_BUCKET: $out"
}
replicate_to() {
  local rules
  rules=$(replication_rules)
  if grep -Eq "\"Bucket\": ?\"arn:[^\"]*:$3\"" <<<"$rules"; then return; fi
  "${MC[@]}" replicate add "region-a/$A_BUCKET" \
    --remote-bucket "http://$MINIO_USER:$MINIO_PASSWORD@127.0.0.1:$2/$3" \
    --replicate "delete,delete-marker,existing-objects" --priority "$4" >/dev/null
  say "  replication region-a/$A_BUCKET -> $1/$3 configured"
}
replicate_to region-b $B_PORT $B_BUCKET 1
replicate_to region-c $C_PORT $C_BUCKET 2

# Object-created events of the mirror buckets go to the API's object-events endpoint (docs/pipeline.md,
# "Late objects"): a check waiting for a late object runs as soon as it lands. The API that receives them listens
# on OBJECT_EVENTS_PORT (the API's default port, scripts/apps-up.sh's); an API elsewhere does not get them and
# relies on the retry backoff. No queue_dir: MinIO sends at once (its disk queue delays events by seconds), and
# an event sent while no API listens is dropped (the backoff again).
OBJECT_EVENTS_PORT=8080
[[ -s "$S/object-events-token" ]] || (umask 077 && od -An -tx1 -N24 /dev/urandom | tr -d ' \n' >"$S/object-events-token")
OBJECT_EVENTS_TOKEN=$(cat "$S/object-events-token")
# notify_objects_created ALIAS BUCKET
notify_objects_created() {
  local endpoint="http://127.0.0.1:$OBJECT_EVENTS_PORT/service/replication/v1/object-events" applied="$S/minio-$1-object-events"
  # MinIO hides the token in its config: what was applied is remembered aside.
  if [[ "$(cat "$applied" 2>/dev/null)" != "$endpoint $OBJECT_EVENTS_TOKEN" ]] \
    || ! "${MC[@]}" admin config get "$1" notify_webhook:lakemirror 2>/dev/null | grep -q "endpoint=$endpoint "; then
    # MinIO refuses a webhook target it cannot reach: a stand-in answers on the port while the target is set.
    local stand_in=""
    if ! curl -s -o /dev/null "http://127.0.0.1:$OBJECT_EVENTS_PORT/"; then
      node -e "require('http').createServer((q, s) => s.end()).listen($OBJECT_EVENTS_PORT, '127.0.0.1')" &
      stand_in=$!
      wait_for 10 "stand-in on :$OBJECT_EVENTS_PORT" curl -s -o /dev/null "http://127.0.0.1:$OBJECT_EVENTS_PORT/"
    fi
    "${MC[@]}" admin config set "$1" notify_webhook:lakemirror enable=on endpoint="$endpoint" auth_token="$OBJECT_EVENTS_TOKEN" queue_dir= queue_limit=10000 >/dev/null
    [[ -z "$stand_in" ]] || kill "$stand_in"
    # MinIO reads its notification targets at start only.
    "${MC[@]}" admin service restart "$1" --json >/dev/null
    wait_for 60 "$1" "${MC[@]}" ready "$1" || die "$1 did not come back after its restart; see its log in $S"
    echo "$endpoint $OBJECT_EVENTS_TOKEN" >"$applied"
    say "  $1: object-created events of $2 go to $endpoint"
  fi
  "${MC[@]}" event ls "$1/$2" arn:minio:sqs::lakemirror:webhook 2>/dev/null | grep -q 'ObjectCreated' \
    || "${MC[@]}" event add "$1/$2" arn:minio:sqs::lakemirror:webhook --event put --prefix mirrors/ >/dev/null
}
notify_objects_created region-b $B_BUCKET
notify_objects_created region-c $C_BUCKET

# lakeFS installations: source on region A, destination on region B, region-c on region C.
lakefs_config() { # NAME PORT MINIO_PORT [RANGE_RAGGEDNESS; empty: lakeFS's default]
  # Written aside and moved only when changed: lakeFS reloads its config file when it changes.
  local permanent=""
  [[ -z "${4:-}" ]] || permanent="  permanent: { range_raggedness_entries: $4 }"$'\n'
  cat >"$S/lakefs-$1.yaml.new" <<YAML
listen_address: 127.0.0.1:$2
logging: { format: text, level: WARN }
database: { type: local, local: { path: "$S/lakefs-$1/metadata" } }
auth: { encrypt: { secret_key: "lakemirror-local-development-only" } }
blockstore:
  type: s3
  s3:
    endpoint: http://127.0.0.1:$3
    region: us-east-1
    force_path_style: true
    discover_bucket_region: false
    credentials: { access_key_id: "$MINIO_USER", secret_access_key: "$MINIO_PASSWORD" }
committed:
  local_cache: { dir: "$S/lakefs-$1/cache" }
${permanent}stats: { enabled: false }
security: { check_latest_version: false }
YAML
  if cmp -s "$S/lakefs-$1.yaml.new" "$S/lakefs-$1.yaml"; then rm "$S/lakefs-$1.yaml.new"; else mv "$S/lakefs-$1.yaml.new" "$S/lakefs-$1.yaml"; fi
}
sides=(source destination region-c)
[[ "${LAKEMIRROR_ENV_DEFAULT_RANGES_LAKEFS:-}" != 1 ]] || sides+=(default-ranges)
for side in "${sides[@]}"; do
  raggedness=$RANGE_RAGGEDNESS
  case $side in
    source) port=$SOURCE_PORT; mport=$A_PORT; key=$SOURCE_KEY; secret=$SOURCE_SECRET ;;
    destination) port=$DEST_PORT; mport=$B_PORT; key=$DEST_KEY; secret=$DEST_SECRET ;;
    region-c) port=$C_LAKEFS_PORT; mport=$C_PORT; key=$C_KEY; secret=$C_SECRET ;;
    default-ranges) port=$DEFAULT_RANGES_PORT; mport=$A_PORT; key=$DEFAULT_RANGES_KEY; secret=$DEFAULT_RANGES_SECRET; raggedness= ;;
  esac
  lakefs_config $side $port $mport "$raggedness"
  if ! alive "lakefs-$side" && [[ ! -f "$S/lakefs-$side/.setup-done" ]]; then
    mkdir -p "$S/lakefs-$side"
    lakefs setup --config "$S/lakefs-$side.yaml" --user-name admin --access-key-id "$key" --secret-access-key "$secret" --no-check \
      >>"$S/lakefs-$side.log" 2>&1 || die "lakefs setup ($side) failed; see $S/lakefs-$side.log"
    touch "$S/lakefs-$side/.setup-done"
  fi
  start "lakefs-$side" "http://127.0.0.1:$port/_health" lakefs run --config "$S/lakefs-$side.yaml"
done

# Redis and PostgreSQL: the machine's, started when they do not answer.
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  command -v redis-server >/dev/null || die "Redis is not installed (apt-get install redis-server)"
  mkdir -p "$S/redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no --dir "$S/redis" --logfile "$S/redis.log"
  wait_for 20 redis redis-cli -h 127.0.0.1 -p 6379 ping || die "Redis did not start; see $S/redis.log"
  say "  redis started on 127.0.0.1:6379"
fi
if ! pg_isready -h 127.0.0.1 -p 5432 >/dev/null 2>&1; then
  command -v pg_ctlcluster >/dev/null || die "PostgreSQL is not installed (apt-get install postgresql)"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start
  wait_for 30 postgres pg_isready -h 127.0.0.1 -p 5432 || die "PostgreSQL did not start"
  say "  postgresql started on 127.0.0.1:5432"
fi
psql -h 127.0.0.1 -U postgres -tAc "select 1 from pg_database where datname = 'lakemirror'" | grep -q 1 \
  || psql -h 127.0.0.1 -U postgres -qc "create database lakemirror" >/dev/null

cat >"$LAKEMIRROR_ENV_FILE" <<ENV
# Written by scripts/env-up.sh: the local multi-region environment. Local development credentials only.
LAKEMIRROR_LOG_LEVEL=info
LAKEMIRROR_REDIS_URL=redis://127.0.0.1:6379
LAKEMIRROR_DATABASE_URL=postgres://postgres@127.0.0.1:5432/lakemirror
LAKEMIRROR_SOURCE_LAKEFS_ENDPOINT=http://127.0.0.1:$SOURCE_PORT
LAKEMIRROR_SOURCE_LAKEFS_ACCESS_KEY_ID=$SOURCE_KEY
LAKEMIRROR_SOURCE_LAKEFS_SECRET_ACCESS_KEY=$SOURCE_SECRET
LAKEMIRROR_SOURCE_S3_ENDPOINT=http://127.0.0.1:$A_PORT
LAKEMIRROR_SOURCE_S3_REGION=us-east-1
LAKEMIRROR_SOURCE_S3_ACCESS_KEY_ID=$MINIO_USER
LAKEMIRROR_SOURCE_S3_SECRET_ACCESS_KEY=$MINIO_PASSWORD
LAKEMIRROR_SOURCE_BUCKET=$A_BUCKET
LAKEMIRROR_REGIONS=region-b,region-c
LAKEMIRROR_REGION_REGION_B_LAKEFS_ENDPOINT=http://127.0.0.1:$DEST_PORT
LAKEMIRROR_REGION_REGION_B_LAKEFS_ACCESS_KEY_ID=$DEST_KEY
LAKEMIRROR_REGION_REGION_B_LAKEFS_SECRET_ACCESS_KEY=$DEST_SECRET
LAKEMIRROR_REGION_REGION_B_S3_ENDPOINT=http://127.0.0.1:$B_PORT
LAKEMIRROR_REGION_REGION_B_S3_REGION=us-east-1
LAKEMIRROR_REGION_REGION_B_S3_ACCESS_KEY_ID=$MINIO_USER
LAKEMIRROR_REGION_REGION_B_S3_SECRET_ACCESS_KEY=$MINIO_PASSWORD
LAKEMIRROR_REGION_REGION_B_BUCKET=$B_BUCKET
LAKEMIRROR_REGION_REGION_B_STORAGE_NAMESPACES=s3://$B_BUCKET/mirrors/
LAKEMIRROR_REGION_REGION_C_LAKEFS_ENDPOINT=http://127.0.0.1:$C_LAKEFS_PORT
LAKEMIRROR_REGION_REGION_C_LAKEFS_ACCESS_KEY_ID=$C_KEY
LAKEMIRROR_REGION_REGION_C_LAKEFS_SECRET_ACCESS_KEY=$C_SECRET
LAKEMIRROR_REGION_REGION_C_S3_ENDPOINT=http://127.0.0.1:$C_PORT
LAKEMIRROR_REGION_REGION_C_S3_REGION=us-east-1
LAKEMIRROR_REGION_REGION_C_S3_ACCESS_KEY_ID=$MINIO_USER
LAKEMIRROR_REGION_REGION_C_S3_SECRET_ACCESS_KEY=$MINIO_PASSWORD
LAKEMIRROR_REGION_REGION_C_BUCKET=$C_BUCKET
LAKEMIRROR_REGION_REGION_C_STORAGE_NAMESPACES=s3://$C_BUCKET/mirrors/
LAKEMIRROR_OBJECT_EVENTS_TOKEN=$OBJECT_EVENTS_TOKEN
LAKEMIRROR_ENV_OBJECT_EVENTS_PORT=$OBJECT_EVENTS_PORT
LAKEMIRROR_ENV_DEFAULT_RANGES_LAKEFS_ENDPOINT=http://127.0.0.1:$DEFAULT_RANGES_PORT
LAKEMIRROR_ENV_DEFAULT_RANGES_LAKEFS_ACCESS_KEY_ID=$DEFAULT_RANGES_KEY
LAKEMIRROR_ENV_DEFAULT_RANGES_LAKEFS_SECRET_ACCESS_KEY=$DEFAULT_RANGES_SECRET
LAKEMIRROR_TOOLS_BIN=$BIN
LAKEMIRROR_STATE_DIR=$S
ENV

cat >&2 <<INFO
lakemirror environment is up:
  MinIO region A   http://127.0.0.1:$A_PORT   bucket $A_BUCKET  (replicates to regions B and C)
  MinIO region B   http://127.0.0.1:$B_PORT   bucket $B_BUCKET
  MinIO region C   http://127.0.0.1:$C_PORT   bucket $C_BUCKET
  lakeFS source    http://127.0.0.1:$SOURCE_PORT  (on region A)  access key $SOURCE_KEY
  lakeFS mirror    http://127.0.0.1:$DEST_PORT  (on region B)  access key $DEST_KEY
  lakeFS mirror    http://127.0.0.1:$C_LAKEFS_PORT  (on region C)  access key $C_KEY
$([[ "${LAKEMIRROR_ENV_DEFAULT_RANGES_LAKEFS:-}" != 1 ]] || echo "  lakeFS ranges    http://127.0.0.1:$DEFAULT_RANGES_PORT  (on region A, lakeFS's default range sizes, for benchmarks)")
  Redis            redis://127.0.0.1:6379
  PostgreSQL       postgres://postgres@127.0.0.1:5432/lakemirror
  settings         $LAKEMIRROR_ENV_FILE  (secrets included: local development only)
  stop with        scripts/env-down.sh
INFO
