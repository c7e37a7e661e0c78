#!/usr/bin/env bash
# PostgreSQL and Redis for local dev and CI. The machine provides both (no Docker): this
# script only checks them and, if one is down, starts it the way this machine does.
#
#   services.sh ensure   check PostgreSQL and Redis, start whichever is down, wait until ready
#   services.sh status   check only (exit 1 if one is down)
#
# Environment (optional): PGHOST (127.0.0.1) PGPORT (5432) REDIS_HOST (127.0.0.1)
#   REDIS_PORT (6379) SERVICES_TIMEOUT (30 s per service) PG_VERSION (newest in /etc/postgresql)
set -euo pipefail

PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
REDIS_HOST="${REDIS_HOST:-127.0.0.1}"
REDIS_PORT="${REDIS_PORT:-6379}"
SERVICES_TIMEOUT="${SERVICES_TIMEOUT:-30}"

pg_log() { printf '[postgres] %s\n' "$*"; }
redis_log() { printf '[redis] %s\n' "$*"; }

# pg_isready: 0 accepting, 1 rejecting (starting up / shutting down), 2 no response, 3 bad args
pg_state() {
  local rc=0
  pg_isready -q -h "$PGHOST" -p "$PGPORT" || rc=$?
  echo "$rc"
}

redis_up() { [[ "$(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null || true)" == "PONG" ]]; }

ensure_postgres() {
  command -v pg_isready >/dev/null 2>&1 || { pg_log "ERROR: pg_isready not found (postgresql-client)"; exit 1; }
  local state
  state="$(pg_state)"
  if [[ "$state" == 0 ]]; then
    pg_log "already running on $PGHOST:$PGPORT"
    return 0
  fi
  if [[ "$state" == 1 ]]; then
    pg_log "$PGHOST:$PGPORT is starting up (rejecting connections): waiting"
  else
    local version="${PG_VERSION:-}"
    if [[ -z "$version" ]]; then
      version="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1 || true)"
    fi
    [[ -n "$version" ]] || { pg_log "ERROR: down, and no cluster in /etc/postgresql to start"; exit 1; }
    pg_log "not running on $PGHOST:$PGPORT: starting cluster $version/main"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start
  fi
  local started=$SECONDS
  until [[ "$(pg_state)" == 0 ]]; do
    if ((SECONDS - started >= SERVICES_TIMEOUT)); then
      pg_log "ERROR: not ready after ${SERVICES_TIMEOUT}s (see /var/log/postgresql/)"
      exit 1
    fi
    sleep 1
  done
  pg_log "started: accepting connections on $PGHOST:$PGPORT"
}

ensure_redis() {
  command -v redis-cli >/dev/null 2>&1 || { redis_log "ERROR: redis-cli not found"; exit 1; }
  if redis_up; then
    redis_log "already running on $REDIS_HOST:$REDIS_PORT"
    return 0
  fi
  redis_log "not running on $REDIS_HOST:$REDIS_PORT: starting redis-server (no persistence)"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  local started=$SECONDS
  until redis_up; do
    if ((SECONDS - started >= SERVICES_TIMEOUT)); then
      redis_log "ERROR: not ready after ${SERVICES_TIMEOUT}s (see /var/log/redis/ci.log)"
      exit 1
    fi
    sleep 0.5
  done
  redis_log "started: PONG from $REDIS_HOST:$REDIS_PORT"
}

status() {
  local ok=0
  if [[ "$(pg_state)" == 0 ]]; then pg_log "running on $PGHOST:$PGPORT"; else pg_log "NOT running on $PGHOST:$PGPORT"; ok=1; fi
  if redis_up; then redis_log "running on $REDIS_HOST:$REDIS_PORT"; else redis_log "NOT running on $REDIS_HOST:$REDIS_PORT"; ok=1; fi
  return "$ok"
}

case "${1:-}" in
  ensure) ensure_postgres; ensure_redis ;;
  status) status ;;
  *) sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
