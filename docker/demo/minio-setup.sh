#!/bin/sh
# Compose demo profile, one-shot: a versioned bucket on each MinIO "region" and MinIO bucket replication
# from region A's bucket to region B's (new objects, deletes, delete markers and existing objects), the
# way scripts/env-up.sh sets up the local environment. Safe to run again.
set -eu
: "${MINIO_A_URL:?}" "${MINIO_A_USER:?}" "${MINIO_A_PASSWORD:?}" "${MINIO_A_BUCKET:?}"
: "${MINIO_B_URL:?}" "${MINIO_B_USER:?}" "${MINIO_B_PASSWORD:?}" "${MINIO_B_BUCKET:?}"
mc() { command mc --config-dir /tmp/mc --quiet "$@"; }

mc alias set region-a "$MINIO_A_URL" "$MINIO_A_USER" "$MINIO_A_PASSWORD" >/dev/null
mc alias set region-b "$MINIO_B_URL" "$MINIO_B_USER" "$MINIO_B_PASSWORD" >/dev/null
mc mb --ignore-existing "region-a/$MINIO_A_BUCKET" "region-b/$MINIO_B_BUCKET" >/dev/null
mc version enable "region-a/$MINIO_A_BUCKET" >/dev/null
mc version enable "region-b/$MINIO_B_BUCKET" >/dev/null
if mc replicate ls "region-a/$MINIO_A_BUCKET" --json 2>/dev/null | grep -q '"Status":"Enabled"'; then
  echo "minio-setup: replication region-a/$MINIO_A_BUCKET -> region-b/$MINIO_B_BUCKET already configured"
else
  scheme=${MINIO_B_URL%%://*}
  mc replicate add "region-a/$MINIO_A_BUCKET" \
    --remote-bucket "$scheme://$MINIO_B_USER:$MINIO_B_PASSWORD@${MINIO_B_URL#*://}/$MINIO_B_BUCKET" \
    --replicate "delete,delete-marker,existing-objects" --priority 1 >/dev/null
  echo "minio-setup: replication region-a/$MINIO_A_BUCKET -> region-b/$MINIO_B_BUCKET configured"
fi
