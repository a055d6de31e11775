#!/bin/sh
# Compose demo profile, one-shot: shows mirroring end to end, through the gateway (one URL, one key):
#   1. creates repository $DEMO_REPOSITORY on the source lakeFS (region A), uploads objects, commits;
#   2. creates its mirror with the replication API request of lakeFS Cloud's documentation (host changed);
#   3. waits until the mirror's branch on the destination lakeFS (region B) is the source's commit;
#   4. commits again and shows the mirror follow, then reads an object back from the mirror.
# Safe to run again (the repository and mirror are reused; each run adds commits).
set -eu
: "${GATEWAY_URL:?}" "${SOURCE_KEY:?}" "${SOURCE_SECRET:?}" "${DESTINATION_URL:?}" "${DESTINATION_KEY:?}" "${DESTINATION_SECRET:?}"
REPO=${DEMO_REPOSITORY:-demo}
MIRROR=${DEMO_MIRROR:-demo-mirror}
REGION=${DEMO_MIRROR_REGION:-region-b}
SOURCE_NAMESPACE=${DEMO_SOURCE_NAMESPACE:?}
MIRROR_NAMESPACE=${DEMO_MIRROR_NAMESPACE:?}
OBJECTS=${DEMO_OBJECTS:-50}
TIMEOUT=${DEMO_TIMEOUT_SECONDS:-300}
work=$(mktemp -d)

say() { printf '[demo %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
fail() { say "FAILED: $*"; exit 1; }
source_api() { curl -sS --fail-with-body -u "$SOURCE_KEY:$SOURCE_SECRET" "$@"; }
destination_api() { curl -sS --fail-with-body -u "$DESTINATION_KEY:$DESTINATION_SECRET" "$@"; }

wait_ready() {
  deadline=$(( $(date +%s) + TIMEOUT ))
  until curl -fsS -o /dev/null "$GATEWAY_URL/service/replication/v1/health" 2>/dev/null; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "lakemirror is not ready at $GATEWAY_URL/service/replication/v1/health"
    sleep 1
  done
}

# commit_objects PREFIX COUNT MESSAGE: uploads COUNT objects under PREFIX through the gateway and commits them.
commit_objects() {
  i=1
  while [ "$i" -le "$2" ]; do
    printf 'lakemirror demo object %s/%s written %s\n' "$1" "$i" "$(date -u +%FT%TZ)" >"$work/object"
    source_api -o /dev/null -X POST -F "content=@$work/object" \
      "$GATEWAY_URL/api/v1/repositories/$REPO/branches/main/objects?path=$1/object-$i.txt" || fail "upload of $1/object-$i.txt"
    i=$((i + 1))
  done
  source_api -X POST -H 'Content-Type: application/json' --data "{\"message\": \"$3\"}" \
    "$GATEWAY_URL/api/v1/repositories/$REPO/branches/main/commits" | jq -r .id
}

# wait_mirrored COMMIT: until the mirror's main branch on the destination is COMMIT; prints the lag meanwhile.
wait_mirrored() {
  start=$(date +%s); deadline=$((start + TIMEOUT))
  while :; do
    mirrored=$(destination_api "$DESTINATION_URL/api/v1/repositories/$MIRROR_ID/branches/main" 2>/dev/null | jq -r '.commit_id // empty' || true)
    if [ "$mirrored" = "$1" ]; then say "mirror branch main is at ${1%"${1#????????????}"} after $(( $(date +%s) - start ))s"; return 0; fi
    [ "$(date +%s)" -lt "$deadline" ] || fail "the mirror did not reach $1 within ${TIMEOUT}s"
    status=$(source_api "$GATEWAY_URL/service/replication/v1/repositories/$REPO/mirrors/$MIRROR_ID/status" 2>/dev/null \
      | jq -r '[.branches[]? | select(.branch == "main") | "lag \(.lag_commits) commit(s), \(.lag_seconds)s"] | first // "waiting for the first scan"' || echo "status not available yet")
    say "  mirror main at ${mirrored:-<none>}: $status"
    sleep 2
  done
}

say "waiting for lakemirror behind the gateway ($GATEWAY_URL)"
wait_ready
code=$(source_api -o "$work/out" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
  --data "{\"name\": \"$REPO\", \"storage_namespace\": \"$SOURCE_NAMESPACE\", \"default_branch\": \"main\"}" \
  "$GATEWAY_URL/api/v1/repositories" || true)
case $code in
  201) say "created repository $REPO on the source lakeFS ($SOURCE_NAMESPACE)" ;;
  409) say "repository $REPO exists on the source lakeFS" ;;
  *) fail "creating repository $REPO: HTTP $code $(cat "$work/out")" ;;
esac
run=$(date -u +%Y%m%dT%H%M%S)
first=$(commit_objects "load-$run" "$OBJECTS" "demo: load $run ($OBJECTS objects)") || exit 1
say "committed $OBJECTS objects to $REPO/main: $first"

say "creating mirror $MIRROR in $REGION with the replication API:"
# The request of lakeFS Cloud's mirroring documentation, with the host changed to the gateway.
curl --location "$GATEWAY_URL/service/replication/v1/repositories/$REPO/mirrors" \
--header 'Content-Type: application/json' \
-u "$SOURCE_KEY:$SOURCE_SECRET" \
-X POST \
--data "{
    \"name\": \"$MIRROR\",
    \"region\": \"$REGION\",
    \"storage_namespace\": \"$MIRROR_NAMESPACE\"
}" -sS --fail-with-body -o "$work/mirror" || fail "creating the mirror: $(cat "$work/mirror")"
MIRROR_ID=$(jq -r .id "$work/mirror")
say "  $(jq -c '{id, source_repository, region, storage_namespace, state}' "$work/mirror")"
wait_mirrored "$first"

second=$(commit_objects "update-$run" 5 "demo: update $run") || exit 1
say "committed 5 more objects: $second"
wait_mirrored "$second"

destination_api -o "$work/read" "$DESTINATION_URL/api/v1/repositories/$MIRROR_ID/refs/main/objects?path=update-$run/object-1.txt" \
  || fail "reading update-$run/object-1.txt from the mirror"
say "read from the mirror on region B: $(cat "$work/read")"
say "done: $REPO is mirrored to $MIRROR_ID on the destination lakeFS; the mirror follows every new commit"
public=${DEMO_GATEWAY_PUBLIC_URL:-$GATEWAY_URL}
say "  source lakeFS and the replication API, one URL: $public (the source's keys)"
say "  mirror status: curl -u SOURCE_KEY:SOURCE_SECRET $public/service/replication/v1/repositories/$REPO/mirrors/$MIRROR_ID/status"
say "  API docs: $public/service/replication/v1/docs"
say "  the mirror, read-only: ${DEMO_DESTINATION_PUBLIC_URL:-$DESTINATION_URL} (the destination's keys)"
rm -rf "$work"
