#!/usr/bin/env bash
# Bring the local stack up (idempotent: run it as often as you like):
#   PostgreSQL + Redis (provided by the machine; started if down) -> Kafka broker ->
#   Kafka topics (npm run topics) -> database migrations (npm run migrate).
# Stop with: npm run stack:down
set -euo pipefail

SCRIPT_DIR="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_ROOT="$(cd -- "$SCRIPT_DIR/../.." && pwd -P)"

log() { printf '[up] %s\n' "$*"; }
warn() { printf '[up] WARNING: %s\n' "$*" >&2; }

started=$SECONDS

log "1/4 PostgreSQL and Redis"
bash "$SCRIPT_DIR/services.sh" ensure

log "2/4 Kafka broker"
bash "$SCRIPT_DIR/kafka.sh" start

# Runs `npm run <name>` from the repo root if package.json defines it; warns otherwise.
run_npm_script() {
  local name="$1" what="$2"
  # Listed into a variable first: `npm run | grep -q` under pipefail fails when grep exits
  # early and npm dies of SIGPIPE, which would skip the step as if the script were missing.
  local scripts
  scripts="$(cd "$REPO_ROOT" && npm run 2>/dev/null || true)"
  if ! grep -qE "^  $name\$" <<<"$scripts"; then
    warn "no \"$name\" script in package.json: skipping $what"
    return 0
  fi
  log "npm run $name ($what)"
  local rc=0
  (cd "$REPO_ROOT" && npm run --silent "$name") || rc=$?
  if ((rc != 0)); then
    printf '[up] ERROR: "npm run %s" failed (exit %s): stack not fully up\n' "$name" "$rc" >&2
    exit "$rc"
  fi
}

if [[ ! -d "$REPO_ROOT/node_modules" ]]; then
  warn "no node_modules in $REPO_ROOT: run 'npm ci', then this script again, to create topics and run migrations"
elif ! command -v npm >/dev/null 2>&1; then
  warn "npm not found: skipping topics and migrations"
else
  log "3/4 Kafka topics"
  run_npm_script topics "create/verify Kafka topics"
  log "4/4 database migrations"
  run_npm_script migrate "run database migrations"
fi

KAFKA_PORT="${KAFKA_PORT:-9092}"
RUN_DIR="${DUBAN_RUN_DIR:-$SCRIPT_DIR/.run}"
cat <<SUMMARY
[up] ------------------------------------------------------------------
[up] stack is up ($((SECONDS - started)) s)
[up]   Kafka broker : 127.0.0.1:$KAFKA_PORT   (KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT)
[up]   PostgreSQL   : 127.0.0.1:${PGPORT:-5432} (user postgres)
[up]   Redis        : 127.0.0.1:${REDIS_PORT:-6379}
[up]   Kafka log    : $RUN_DIR/kafka/kafka.log   (bash deploy/local/kafka.sh logs -f)
[up]   Kafka stdout : $RUN_DIR/kafka/kafka.out
[up]   Redis log    : /var/log/redis/ci.log (if started by us)   PostgreSQL: /var/log/postgresql/
[up]   status       : bash deploy/local/kafka.sh status
[up]   stop         : npm run stack:down   (stops Kafka; PostgreSQL and Redis are left running)
[up] ------------------------------------------------------------------
SUMMARY
