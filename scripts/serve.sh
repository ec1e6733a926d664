#!/usr/bin/env bash
# Production serving (make serve): two gunicorn processes, one gevent worker each, on PORT and
# PORT+1, sharing DATABASE_URL and REDIS_URL. A proxy in front balances them (see the README,
# "Serving in production").
#
# Each process has its own supervisor loop: when one dies (a crash, SIGKILL, out of memory),
# the other keeps serving and the dead one is started again after a short back-off. SIGTERM or
# SIGINT stops both gracefully: gunicorn stops accepting, finishes its requests and closes its
# websockets within GRACEFUL_TIMEOUT seconds; clients reconnect to the other process and catch
# up with `after_seq`. On a machine with systemd, the template unit in docs/deployment.md does
# the same job with Restart=always.
set -uo pipefail
cd "$(dirname "$0")/.."

: "${DATABASE_URL:?DATABASE_URL is required}"
if [ -z "${REDIS_URL:-}" ]; then
  echo "REDIS_URL is required: two processes share Socket.IO broadcasts and rate limits through Redis" >&2
  exit 2
fi
PORT="${PORT:-8000}"
HOST="${HOST:-127.0.0.1}"
BIN="${BIN:-.venv/bin}"
GRACEFUL_TIMEOUT="${GRACEFUL_TIMEOUT:-10}"
export TERREAU_ENV=production SOCKETIO_ASYNC_MODE=gevent

stopping=0
supervisors=()

# supervise PORT: run gunicorn on PORT, start it again whenever it exits, until we stop.
supervise() {
  local port=$1 child=0 delay=1
  trap 'stopping=1; [ "$child" -gt 0 ] && kill -TERM "$child" 2>/dev/null' TERM INT
  while [ "$stopping" -eq 0 ]; do
    local started=$SECONDS
    # One gevent worker per process (Socket.IO sessions live in one process); no control
    # socket, since several gunicorn instances run side by side.
    "$BIN/gunicorn" --worker-class gevent --workers 1 --no-control-socket \
      --graceful-timeout "$GRACEFUL_TIMEOUT" --bind "$HOST:$port" --access-logfile - \
      gunicorn_app:app &
    child=$!
    wait "$child"
    local status=$?
    # `wait` returns early when a trapped signal arrives: wait for gunicorn itself to finish.
    while kill -0 "$child" 2>/dev/null; do wait "$child"; done
    [ "$stopping" -ne 0 ] && break
    # A process that lived a while restarts at once; one that keeps dying backs off (max 30 s).
    if [ $((SECONDS - started)) -ge 30 ]; then delay=1; else delay=$((delay * 2 > 30 ? 30 : delay * 2)); fi
    echo "serve.sh: the process on port $port stopped (status $status); starting it again in ${delay}s" >&2
    sleep "$delay"
  done
}

stop() {
  trap - TERM INT
  kill -TERM "${supervisors[@]}" 2>/dev/null
  wait
  exit 0
}
trap stop TERM INT

for port in "$PORT" "$((PORT + 1))"; do
  supervise "$port" &
  supervisors+=("$!")
  echo "Terreau : http://$HOST:$port"
done
wait
