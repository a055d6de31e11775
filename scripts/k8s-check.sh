#!/usr/bin/env bash
# Validates lakemirror's Kubernetes manifests without a cluster:
#   1. builds every overlay under k8s/overlays with kustomize (pinned in tools/versions.env);
#   2. checks each result with tools/k8s-check: strict decoding into the official Go API types of
#      Kubernetes, KEDA, Gateway API and the Prometheus operator (unknown fields, wrong types and
#      unknown kinds fail), the required fields and references those types cannot enforce, and
#      lakemirror's rules, derived from its sources (job lock, queue name and prefix, metrics);
#   3. shows, against the machine's Redis, that the key KEDA's ScaledObject counts is the one where
#      BullMQ puts a job waiting in the verifier's queue (tools/k8s-check/keda-key-check.mjs; a
#      Redis database kept for it, LAKEMIRROR_K8S_CHECK_REDIS_URL, default redis://127.0.0.1:6379/15).
#
#   bash scripts/k8s-check.sh               the checks above
#   bash scripts/k8s-check.sh --self-test   and proves they catch mistakes: broken copies of the
#                                           overlays are rejected with the right message (go test),
#                                           the checker exits non-zero on one, and the Redis check
#                                           fails on a wrong key
#   bash scripts/k8s-check.sh --no-redis    skips step 3
#
# kustomize and the checker are built once into ~/.cache/lakemirror/tools (LAKEMIRROR_TOOLS_CACHE);
# the checker again only when its sources change. Prints one line per overlay; exits non-zero on any problem.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../tools/versions.env
source "$root/tools/versions.env"
cache="${LAKEMIRROR_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lakemirror/tools}"
self_test=false
redis_check=true
for arg in "$@"; do
  case "$arg" in
    --self-test) self_test=true ;;
    --no-redis) redis_check=false ;;
    -h|--help) sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "k8s-check: unknown argument $arg (try --help)" >&2; exit 2 ;;
  esac
done

log() { echo "k8s-check: $*" >&2; }
die() { echo "k8s-check: $*" >&2; exit 1; }
command -v go >/dev/null 2>&1 || die "Go is not installed (need go >= 1.26 on PATH to build kustomize and the checker)"
started=$SECONDS

# kustomize: the pinned module, built inside its own download so its go.mod applies (as scripts/tools.sh does).
kustomize="$cache/kustomize-$KUSTOMIZE_VERSION/kustomize"
if [[ ! -x "$kustomize" ]]; then
  log "building kustomize $KUSTOMIZE_VERSION from $KUSTOMIZE_MODULE (first time only)"
  src=$(GOFLAGS=-mod=mod go mod download -json "$KUSTOMIZE_MODULE@$KUSTOMIZE_VERSION" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
  [[ -n "$src" && -d "$src" ]] || die "could not download $KUSTOMIZE_MODULE@$KUSTOMIZE_VERSION from the Go module proxy"
  mkdir -p "$(dirname "$kustomize")"
  t0=$SECONDS
  ( cd "$src" && CGO_ENABLED=0 go build -trimpath -o "$kustomize.partial" . ) || die "go build of kustomize failed; see above"
  mv "$kustomize.partial" "$kustomize"
  log "built kustomize in $((SECONDS - t0))s"
fi

# The checker and its self-test, cached by a hash of their sources.
checker_src="$root/tools/k8s-check"
hash=$(cd "$checker_src" && cat go.mod go.sum ./*.go | sha256sum | cut -c1-12)
checker_dir="$cache/k8s-check-$hash"
checker="$checker_dir/k8s-check"
if [[ ! -x "$checker" || ! -x "$checker.test" ]]; then
  log "building the manifest checker (tools/k8s-check; first time only, a few minutes: Kubernetes, KEDA, Gateway API and Prometheus operator types)"
  mkdir -p "$checker_dir"
  t0=$SECONDS
  ( cd "$checker_src" \
    && CGO_ENABLED=0 go build -trimpath -o "$checker.partial" . \
    && CGO_ENABLED=0 go test -trimpath -c -o "$checker.test.partial" . ) || die "go build of tools/k8s-check failed; see above"
  mv "$checker.partial" "$checker"
  mv "$checker.test.partial" "$checker.test"
  log "built the checker in $((SECONDS - t0))s"
  # Builds of older sources of the checker are of no further use.
  for old in "$cache"/k8s-check-*; do [[ "$old" == "$checker_dir" ]] || rm -rf "$old"; done
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0

# 1 and 2: every overlay, built and checked.
"$checker" -project "$root" -show-policy | sed 's/^/k8s-check: rules from the sources: /'
overlays=()
for dir in "$root"/k8s/overlays/*/; do
  name=$(basename "$dir")
  overlays+=("$name")
  if ! "$kustomize" build "$dir" >"$work/$name.yaml" 2>"$work/$name.err"; then
    echo "overlays/$name: FAILED: kustomize build: $(tr '\n' ' ' <"$work/$name.err")"
    status=1
    continue
  fi
  "$checker" -project "$root" -source "overlays/$name" "$work/$name.yaml" || status=1
done
(( ${#overlays[@]} >= 2 )) || { echo "k8s-check: FAILED: expected a dev and a production overlay under k8s/overlays"; status=1; }

# 3: the KEDA key, with a real job in a real Redis.
if $redis_check; then
  [[ -d "$root/node_modules/bullmq" ]] || die "node_modules has no bullmq: run npm ci first"
  key_args=()
  for name in "${overlays[@]}"; do
    [[ -f "$work/$name.yaml" ]] || continue
    if "$checker" -project "$root" -print-redis-keys "$work/$name.yaml" >"$work/$name.keys.json" 2>/dev/null \
      && grep -q '"listName"' "$work/$name.keys.json"; then
      key_args+=("overlays/$name=$work/$name.keys.json")
    fi
  done
  if (( ${#key_args[@]} == 0 )); then
    echo "keda-key: FAILED: no overlay has a KEDA redis trigger"
    status=1
  else
    node "$root/tools/k8s-check/keda-key-check.mjs" "${key_args[@]}" || status=1
  fi
else
  echo "keda-key: skipped (--no-redis)"
fi

if $self_test; then
  # The checker's own tests: the real overlays pass; broken copies fail with the expected message.
  log "self-test: broken copies of the overlays must be rejected (go test)"
  if (cd "$checker_src" && K8S_CHECK_KUSTOMIZE="$kustomize" K8S_CHECK_PROJECT="$root" "$checker.test" -test.v -test.count=1 >"$work/self-test.out" 2>&1); then
    test_status=0
  else
    test_status=1
  fi
  grep -E '^(--- |    --- |    check_test.go:[0-9]+: rejected:|PASS$|FAIL$|ok |panic)' "$work/self-test.out" | grep -v '^    --- PASS' || true
  passed=$(grep -c -- '--- PASS' "$work/self-test.out" || true)
  failed=$(grep -c -- '--- FAIL' "$work/self-test.out" || true)
  echo "k8s-check self-test (go test): $passed passed, $failed failed"
  (( test_status == 0 && failed == 0 )) || { status=1; tail -40 "$work/self-test.out"; }

  # The binary's exit code on a broken copy (what CI relies on).
  prod="$work/production.yaml"
  if [[ -f "$prod" ]]; then
    sed '0,/^  replicas: 2$/s//  replicas: two/' "$prod" >"$work/broken.yaml"
    if out=$("$checker" -project "$root" -source broken-copy/production "$work/broken.yaml"); then
      echo "k8s-check self-test: FAILED: the checker accepted replicas: two"; status=1
    elif grep -q 'wrong type at "spec.replicas": got string, want int32' <<<"$out"; then
      echo "k8s-check self-test: the checker exits non-zero on a broken copy: $(head -1 <<<"$out")"
    else
      echo "k8s-check self-test: FAILED: unexpected output: $out"; status=1
    fi
  fi

  # The Redis check fails when the ScaledObject names a key BullMQ does not use.
  if $redis_check && [[ -f "$work/production.keys.json" ]]; then
    sed 's/:commit-verify:wait"/:commit-verify:waiting"/' "$work/production.keys.json" >"$work/wrong.keys.json"
    if out=$(node "$root/tools/k8s-check/keda-key-check.mjs" "broken-copy/production=$work/wrong.keys.json"); then
      echo "k8s-check self-test: FAILED: the Redis check accepted a wrong key"; status=1
    elif grep -q 'FAILED: KEDA would count 0 → 0 on "lakemirror:commit-verify:waiting"' <<<"$out"; then
      echo "k8s-check self-test: the Redis check rejects a wrong key: $(grep FAILED <<<"$out" | head -1)"
    else
      echo "k8s-check self-test: FAILED: unexpected output: $out"; status=1
    fi
  fi
fi

if (( status == 0 )); then
  echo "k8s-check: all overlays valid ($((SECONDS - started))s)"
else
  echo "k8s-check: FAILED ($((SECONDS - started))s)"
fi
exit $status
