#!/usr/bin/env bash
# Production serving (make serve): two gunicorn processes, one gevent worker each, on PORT and
# PORT+1, sharing DATABASE_URL and REDIS_URL. A proxy in front balances them (see the README,
# "Real-time threads and serving").
set -euo pipefail
cd "$(dirname "$0")/.."

: "${DATABASE_URL:?DATABASE_URL is required}"
if [ -z "${REDIS_URL:-}" ]; then
  echo "REDIS_URL is required: two processes share Socket.IO broadcasts and rate limits through Redis" >&2
  exit 2
fi
PORT="${PORT:-8000}"
HOST="${HOST:-127.0.0.1}"
BIN="${BIN:-.venv/bin}"
export TERREAU_ENV=production SOCKETIO_ASYNC_MODE=gevent

pids=()
stop() { kill "${pids[@]}" 2>/dev/null || true; wait; }
trap stop INT TERM EXIT

for port in "$PORT" "$((PORT + 1))"; do
  # One gevent worker per process (Socket.IO sessions live in one process); no control socket,
  # since several gunicorn instances run side by side.
  "$BIN/gunicorn" --worker-class gevent --workers 1 --no-control-socket \
    --bind "$HOST:$port" --access-logfile - gunicorn_app:app &
  pids+=("$!")
  echo "Terreau : http://$HOST:$port"
done
wait -n
