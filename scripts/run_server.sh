#!/usr/bin/env bash
# Runs the background-task worker and the development server together (used by `make run`).
# The worker is stopped when the server stops, however it stops.
set -euo pipefail
cd "$(dirname "$0")/.."

openmash=.venv/bin/openmash
addr=${OPENMASH_ADDR:-127.0.0.1:8000}

"$openmash" db_worker &
worker=$!

stop_worker() {
    if kill -0 "$worker" 2>/dev/null; then
        kill -TERM "$worker" 2>/dev/null || true
        wait "$worker" 2>/dev/null || true
    fi
}
trap stop_worker EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "OpenMASH: http://$addr/ (Ctrl+C to stop)"
"$openmash" runserver "$addr"
