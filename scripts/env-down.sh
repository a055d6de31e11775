#!/usr/bin/env bash
# Stops lakemirror's apps (scripts/apps-up.sh) and the servers scripts/env-up.sh started, by the PIDs it recorded (never by process name).
# The machine's Redis and PostgreSQL are left running. --purge also deletes their data.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
for name in app-api app-scanner app-verifier app-promoter lakefs-source lakefs-destination lakefs-region-c lakefs-default-ranges minio-a minio-b minio-c; do
  stop_recorded "$name"
done
if [[ "${1:-}" == "--purge" ]]; then
  rm -rf "$LAKEMIRROR_STATE_DIR"/{minio-a,minio-b,minio-c,lakefs-source,lakefs-destination,lakefs-region-c,lakefs-default-ranges,mc}
  say "deleted the environment's data in $LAKEMIRROR_STATE_DIR"
fi
