#!/usr/bin/env bash
# Local Apache Kafka broker (KRaft, single node) for dev and CI, run straight from the jars
# that Maven downloads: no Docker, no Kafka tarball.
#
#   kafka.sh fetch     download the broker jars into deploy/local/.cache (once)
#   kafka.sh start     fetch if needed, format storage once, start in the background, wait until ready
#   kafka.sh stop      SIGTERM, wait up to KAFKA_STOP_TIMEOUT s, then SIGKILL (harmless if not running)
#   kafka.sh restart   stop + start (data kept)
#   kafka.sh status    running or not, pid, ports, paths (exit 0 running, 3 not running)
#   kafka.sh logs [-f] [N]   last N (default 100) lines of the server log, -f to follow
#   kafka.sh reset     stop, then delete the data dir (the next start formats fresh storage)
#
# Clients authenticate with SASL/SCRAM-SHA-512 on the broker port and ACLs decide what each
# may do. The super user `admin` is created at format time with a password generated once into
# $DUBAN_RUN_DIR/kafka/admin.password (mode 600); admin.properties beside it is a ready client
# config for Kafka's own tools (--command-config, --consumer.config). Storage formatted under
# another security layout (an open broker from before) is reformatted: it only holds dev data.
#
# With DUBAN_KAFKA_TLS=1 the broker also takes SASL_SSL (SCRAM over TLS) on KAFKA_TLS_PORT, with
# a certificate signed by a CA of this run dir's own, made once with openssl into
# $DUBAN_RUN_DIR/kafka/tls/ (ca.pem for clients: DUBAN_KAFKA_SSL=true DUBAN_KAFKA_SSL_CA=ca.pem;
# the broker's PKCS12 keystore and its password, mode 600).
#
# Environment (all optional):
#   KAFKA_PORT (9092)  KAFKA_CONTROLLER_PORT (9093)  KAFKA_HOST (127.0.0.1)
#   DUBAN_KAFKA_TLS (0; 1 adds the SASL_SSL listener)  KAFKA_TLS_PORT (9094)
#   DUBAN_RUN_DIR (deploy/local/.run)  DUBAN_CACHE_DIR (deploy/local/.cache)
#   KAFKA_HEAP_OPTS ("-Xmx512m -Xms256m")  KAFKA_START_TIMEOUT (90)  KAFKA_STOP_TIMEOUT (30)
#   JAVA (java)  MVN (mvn)
set -euo pipefail

SCRIPT_DIR="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"

KAFKA_VERSION=3.9.1
KAFKA_HOST="${KAFKA_HOST:-127.0.0.1}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
DUBAN_KAFKA_TLS="${DUBAN_KAFKA_TLS:-0}"
KAFKA_TLS_PORT="${KAFKA_TLS_PORT:-9094}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xmx512m -Xms256m}"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
KAFKA_STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"
JAVA="${JAVA:-java}"
MVN="${MVN:-mvn}"

# Make a possibly relative directory absolute (relative to the caller's cwd), creating it.
abs_dir() { mkdir -p -- "$1" && (cd -- "$1" && pwd -P); }

POM="$SCRIPT_DIR/kafka/pom.xml"
CACHE_ROOT="$(abs_dir "${DUBAN_CACHE_DIR:-$SCRIPT_DIR/.cache}")"
DIST_DIR="$CACHE_ROOT/kafka-$KAFKA_VERSION"
LIBS_DIR="$DIST_DIR/libs"
FETCH_MARKER="$DIST_DIR/.fetch-complete"

RUN_ROOT="$(abs_dir "${DUBAN_RUN_DIR:-$SCRIPT_DIR/.run}")"
RUN_DIR="$RUN_ROOT/kafka"
DATA_DIR="$RUN_DIR/data"
CONFIG_FILE="$RUN_DIR/server.properties"
LOG4J_FILE="$RUN_DIR/log4j.properties"
LOG_FILE="$RUN_DIR/kafka.log"          # broker log (log4j)
OUT_FILE="$RUN_DIR/kafka.out"          # JVM stdout/stderr (crashes, JVM errors)
PID_FILE="$RUN_DIR/kafka.pid"
CLUSTER_ID_FILE="$RUN_DIR/cluster.id"
ADMIN_PASSWORD_FILE="$RUN_DIR/admin.password"
ADMIN_PROPERTIES_FILE="$RUN_DIR/admin.properties"
TLS_DIR="$RUN_DIR/tls"
TLS_CA_FILE="$TLS_DIR/ca.pem"
TLS_KEYSTORE_FILE="$TLS_DIR/broker.p12"
TLS_KEYSTORE_PASSWORD_FILE="$TLS_DIR/keystore.password"
# Records which security layout (and which admin password) the storage was formatted with.
SECURITY_MARKER="$DATA_DIR/.duban-security"
SECURITY_LAYOUT="sasl-scram-sha-512/v1"

STARTED_MESSAGE="Kafka Server started"

log() { printf '[kafka] %s\n' "$*"; }
err() { printf '[kafka] ERROR: %s\n' "$*" >&2; }

# ---------------------------------------------------------------------------------------------
# helpers

# True if something accepts TCP connections on host:port.
port_open() {
  local host="$1" port="$2"
  timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$host" "$port" 2>/dev/null
}

# Who listens on a port (best effort, for error messages).
port_owner() {
  local port="$1"
  if command -v ss >/dev/null 2>&1; then
    ss -Hltnp "sport = :$port" 2>/dev/null | sed 's/^/[kafka]     /' || true
  fi
}

# True if pid is a live JVM running *our* broker (guards against a stale pid file whose pid
# has been reused by another process).
is_our_broker() {
  local pid="$1"
  [[ -n "$pid" && "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  [[ -r "/proc/$pid/cmdline" ]] || return 0 # no /proc: trust kill -0
  local cmd
  cmd="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)"
  [[ "$cmd" == *"kafka.Kafka"* && "$cmd" == *"$CONFIG_FILE"* ]]
}

# Pid of our running broker, or nothing. Uses the pid file; if it is missing or stale, looks
# for a java process started with exactly our server.properties.
our_pid() {
  local pid=""
  if [[ -f "$PID_FILE" ]]; then
    pid="$(tr -dc '0-9' <"$PID_FILE" || true)"
    if is_our_broker "$pid"; then
      echo "$pid"
      return 0
    fi
  fi
  local d
  for d in /proc/[0-9]*; do
    pid="${d#/proc/}"
    [[ "$pid" == "$$" ]] && continue
    if is_our_broker "$pid" 2>/dev/null; then
      echo "$pid" >"$PID_FILE" 2>/dev/null || true
      echo "$pid"
      return 0
    fi
  done
  return 0
}

print_log_tail() {
  local n="${1:-40}"
  if [[ -s "$LOG_FILE" ]]; then
    log "last $n lines of $LOG_FILE:"
    tail -n "$n" "$LOG_FILE" | sed 's/^/    /' >&2
  else
    log "(no broker log at $LOG_FILE)"
  fi
  if [[ -s "$OUT_FILE" ]]; then
    log "last 15 lines of $OUT_FILE (JVM stdout/stderr):"
    tail -n 15 "$OUT_FILE" | sed 's/^/    /' >&2
  fi
}

require_java() {
  command -v "$JAVA" >/dev/null 2>&1 || { err "java not found (set JAVA=/path/to/java); Kafka $KAFKA_VERSION needs Java 11+ (17 recommended)"; exit 1; }
}

# ---------------------------------------------------------------------------------------------
# fetch

fetch_complete() {
  [[ -f "$FETCH_MARKER" && -d "$LIBS_DIR" ]] || return 1
  # the marker records the pom's checksum: editing the pom (new version, new jar) refetches
  [[ "$(cat "$FETCH_MARKER")" == "$(pom_checksum)" ]]
}

pom_checksum() { sha256sum "$POM" | cut -d' ' -f1; }

cmd_fetch() {
  if fetch_complete; then
    log "jars already fetched: $LIBS_DIR ($(find "$LIBS_DIR" -name '*.jar' | wc -l) jars)"
    return 0
  fi
  command -v "$MVN" >/dev/null 2>&1 || { err "mvn not found (set MVN=/path/to/mvn)"; exit 1; }
  [[ -f "$POM" ]] || { err "missing $POM"; exit 1; }
  log "fetching Kafka $KAFKA_VERSION jars with Maven into $LIBS_DIR ..."
  local started tmp
  started=$SECONDS
  rm -f "$FETCH_MARKER"
  mkdir -p "$DIST_DIR"
  tmp="$(mktemp -d "$DIST_DIR/libs.tmp.XXXXXX")"
  # Maven's output goes to a file (it is shown only on failure: -q still prints colour codes)
  if ! "$MVN" -q -B -ntp -Dstyle.color=never -f "$POM" dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$tmp" >"$DIST_DIR/fetch.log" 2>&1; then
    rm -rf "$tmp"
    err "Maven failed to download the Kafka jars (is Maven Central reachable?):"
    tail -n 30 "$DIST_DIR/fetch.log" | sed 's/^/    /' >&2
    exit 1
  fi
  if ! ls "$tmp"/kafka_2.13-"$KAFKA_VERSION".jar >/dev/null 2>&1; then
    rm -rf "$tmp"
    err "download looks incomplete: kafka_2.13-$KAFKA_VERSION.jar missing"
    exit 1
  fi
  rm -rf "$LIBS_DIR"
  mv "$tmp" "$LIBS_DIR"
  pom_checksum >"$FETCH_MARKER"
  log "fetched $(find "$LIBS_DIR" -name '*.jar' | wc -l) jars ($(du -sh "$LIBS_DIR" | cut -f1)) in $((SECONDS - started)) s"
}

# ---------------------------------------------------------------------------------------------
# start

tls_enabled() { [[ "$DUBAN_KAFKA_TLS" == 1 || "$DUBAN_KAFKA_TLS" == true ]]; }

# The listeners' lines of server.properties: SASL_PLAINTEXT always (the tools and the
# inter-broker link use it), SASL_SSL too when asked.
listener_config() {
  local password="$1"
  local listeners="SASL_PLAINTEXT://$KAFKA_HOST:$KAFKA_PORT"
  local map="CONTROLLER:SASL_PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT"
  if tls_enabled; then
    listeners="$listeners,SASL_SSL://$KAFKA_HOST:$KAFKA_TLS_PORT"
    map="$map,SASL_SSL:SASL_SSL"
  fi
  printf '%s\n' \
    "listeners=$listeners,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT" \
    "advertised.listeners=$listeners" \
    "controller.listener.names=CONTROLLER" \
    "inter.broker.listener.name=SASL_PLAINTEXT" \
    "listener.security.protocol.map=$map"
  tls_enabled || return 0
  printf '%s\n' \
    "# SCRAM over TLS: the broker's certificate, signed by this run dir's CA ($TLS_CA_FILE)." \
    "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"admin\" password=\"$password\";" \
    "listener.name.sasl_ssl.ssl.keystore.type=PKCS12" \
    "listener.name.sasl_ssl.ssl.keystore.location=$TLS_KEYSTORE_FILE" \
    "listener.name.sasl_ssl.ssl.keystore.password=$(cat "$TLS_KEYSTORE_PASSWORD_FILE")" \
    "listener.name.sasl_ssl.ssl.client.auth=none"
}

# A CA of this run dir's own and the broker's certificate (SAN: KAFKA_HOST, 127.0.0.1,
# localhost), made once; the PKCS12 keystore's password goes through a file, never argv.
ensure_tls_material() {
  tls_enabled || return 0
  [[ -s "$TLS_CA_FILE" && -s "$TLS_KEYSTORE_FILE" && -s "$TLS_KEYSTORE_PASSWORD_FILE" ]] && return 0
  command -v openssl >/dev/null 2>&1 || { err "DUBAN_KAFKA_TLS=1 needs openssl"; exit 1; }
  local san="IP:127.0.0.1,DNS:localhost"
  if [[ "$KAFKA_HOST" =~ ^[0-9.]+$ ]]; then
    [[ "$KAFKA_HOST" == 127.0.0.1 ]] || san="$san,IP:$KAFKA_HOST"
  else
    san="$san,DNS:$KAFKA_HOST"
  fi
  [[ -n "$TLS_DIR" && "$TLS_DIR" == "$RUN_DIR/tls" ]] || { err "bad TLS dir"; exit 1; }
  rm -rf -- "$TLS_DIR"
  mkdir -p "$TLS_DIR"
  (
    umask 077
    cd "$TLS_DIR" || exit 1
    od -An -tx1 -N24 /dev/urandom | tr -d ' \n' >keystore.password
    openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 825 -keyout ca.key -out ca.pem \
      -subj "/CN=Duban local Kafka CA" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
    openssl req -newkey rsa:2048 -nodes -sha256 -keyout broker.key -out broker.csr -subj "/CN=$KAFKA_HOST"
    printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n' \
      "$san" >broker.ext
    openssl x509 -req -sha256 -days 825 -in broker.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
      -extfile broker.ext -out broker.pem
    openssl pkcs12 -export -name broker -in broker.pem -inkey broker.key -certfile ca.pem \
      -passout file:keystore.password -out broker.p12
    rm -f broker.csr broker.ext ca.srl
    chmod 644 ca.pem
  ) >>"$OUT_FILE" 2>&1 || { err "could not make the TLS certificates (see $OUT_FILE)"; exit 1; }
  log "made a CA and the broker's TLS certificate in $TLS_DIR (clients trust $TLS_CA_FILE)"
}

write_config() {
  mkdir -p "$RUN_DIR" "$DATA_DIR"
  ensure_admin_password
  ensure_tls_material
  local password
  password="$(cat "$ADMIN_PASSWORD_FILE")"
  # Both files hold the admin password.
  (
    umask 077
    cat >"$CONFIG_FILE" <<EOF
# Generated by deploy/local/kafka.sh at every start: edit the script, not this file.
# Kafka $KAFKA_VERSION, KRaft, one node acting as broker and controller.
process.roles=broker,controller
node.id=1
# The controller listener serves the cluster metadata (SCRAM credentials included), so it
# cannot authenticate by SCRAM itself: PLAIN, and only on the loopback interface.
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
$(listener_config "$password")
log.dirs=$DATA_DIR

# Every client authenticates; ACLs give each principal exactly what it needs.
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$password";
sasl.mechanism.controller.protocol=PLAIN
listener.name.controller.sasl.enabled.mechanisms=PLAIN
listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="$password" user_admin="$password";
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
super.users=User:admin

# Single node: every internal topic with one replica, few partitions, no join delay.
group.initial.rebalance.delay.ms=0
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
default.replication.factor=1
min.insync.replicas=1

# Committed offsets outlive the inbox window (37 days): a group whose offsets expired would
# start again from the beginning and re-apply events whose inbox rows are already pruned.
offsets.retention.minutes=129600

# Topics are provisioned explicitly (npm run topics); never by a typo in a client.
auto.create.topics.enable=false
num.partitions=3
EOF
    cat >"$ADMIN_PROPERTIES_FILE" <<EOF
# The local super user, for Kafka's own tools: --command-config / --consumer.config this file.
security.protocol=SASL_PLAINTEXT
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$password";
EOF
  )

  cat >"$LOG4J_FILE" <<EOF
# Generated by deploy/local/kafka.sh: broker log for local dev and CI.
log4j.rootLogger=INFO, file

log4j.appender.file=org.apache.log4j.RollingFileAppender
log4j.appender.file.File=$LOG_FILE
log4j.appender.file.Append=true
log4j.appender.file.MaxFileSize=20MB
log4j.appender.file.MaxBackupIndex=1
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n

# quieter than Kafka's defaults
log4j.logger.kafka=INFO
log4j.logger.org.apache.kafka=INFO
log4j.logger.kafka.request.logger=WARN
log4j.logger.kafka.network.RequestChannel\$=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.authorizer.logger=WARN
log4j.logger.org.apache.zookeeper=WARN
EOF
}

# Generated once: the SCRAM credential made at format time must keep matching it.
ensure_admin_password() {
  [[ -s "$ADMIN_PASSWORD_FILE" ]] && return 0
  (
    umask 077
    # hex only: the password goes unquoted into --add-scram and the JAAS lines
    od -An -tx1 -N24 /dev/urandom | tr -d ' \n' >"$ADMIN_PASSWORD_FILE.tmp"
  )
  mv "$ADMIN_PASSWORD_FILE.tmp" "$ADMIN_PASSWORD_FILE"
  log "generated the admin password: $ADMIN_PASSWORD_FILE"
}

security_fingerprint() {
  printf '%s %s\n' "$SECURITY_LAYOUT" "$(sha256sum "$ADMIN_PASSWORD_FILE" | cut -d' ' -f1)"
}

# Storage formatted for an open broker, or for an admin password since lost, has no usable
# super user: it only holds throwaway dev data, so start over rather than refuse to start.
discard_storage_of_other_layout() {
  [[ -f "$DATA_DIR/meta.properties" ]] || return 0
  [[ -f "$SECURITY_MARKER" && "$(cat "$SECURITY_MARKER")" == "$(security_fingerprint)" ]] && return 0
  log "storage in $DATA_DIR was not formatted for this SCRAM admin: reformatting (dev data is discarded)"
  rm -rf -- "$DATA_DIR"
  mkdir -p "$DATA_DIR"
}

format_storage_once() {
  discard_storage_of_other_layout
  if [[ -f "$DATA_DIR/meta.properties" ]]; then
    log "storage already formatted ($DATA_DIR)"
    return 0
  fi
  if [[ ! -s "$CLUSTER_ID_FILE" ]]; then
    "$JAVA" -cp "$LIBS_DIR/*" -Dlog4j.configuration="file:$LOG4J_FILE" \
      kafka.tools.StorageTool random-uuid 2>>"$OUT_FILE" | tr -d '[:space:]' >"$CLUSTER_ID_FILE.tmp"
    [[ -s "$CLUSTER_ID_FILE.tmp" ]] || { err "could not generate a cluster id (see $OUT_FILE)"; exit 1; }
    mv "$CLUSTER_ID_FILE.tmp" "$CLUSTER_ID_FILE"
  fi
  local cluster_id
  cluster_id="$(cat "$CLUSTER_ID_FILE")"
  log "formatting storage in $DATA_DIR (cluster id $cluster_id, SCRAM super user admin)"
  # KIP-900: the first SCRAM user goes into the metadata log at format time. The tool and its
  # arguments go in a java launcher argument file (mode 600, removed after), not on the command
  # line, where `ps` would show the admin password to every local user.
  local args_file="$RUN_DIR/format.args" rc=0
  (
    umask 077
    printf '%s\n' kafka.tools.StorageTool format -t "$cluster_id" -c "\"$CONFIG_FILE\"" \
      --add-scram "SCRAM-SHA-512=[name=admin,password=$(cat "$ADMIN_PASSWORD_FILE")]" >"$args_file"
  )
  "$JAVA" -cp "$LIBS_DIR/*" -Dlog4j.configuration="file:$LOG4J_FILE" "@$args_file" \
    >>"$OUT_FILE" 2>&1 || rc=$?
  rm -f "$args_file"
  if ((rc != 0)); then
    err "storage format failed:"
    tail -n 20 "$OUT_FILE" | sed 's/^/    /' >&2
    exit 1
  fi
  security_fingerprint >"$SECURITY_MARKER"
}

# Wait until the broker serves requests: our JVM alive, port open, and the log line
# "Kafka Server started" (logged by KafkaRaftServer once the broker is unfenced).
wait_until_ready() {
  local pid="$1" started=$SECONDS
  printf '[kafka] waiting for the broker on %s:%s (timeout %ss) ' "$KAFKA_HOST" "$KAFKA_PORT" "$KAFKA_START_TIMEOUT"
  while :; do
    if ! kill -0 "$pid" 2>/dev/null; then
      printf '\n'
      err "the broker process ($pid) exited during startup"
      rm -f "$PID_FILE"
      print_log_tail 40
      exit 1
    fi
    if grep -qF "$STARTED_MESSAGE" "$LOG_FILE" 2>/dev/null && port_open "$KAFKA_HOST" "$KAFKA_PORT" &&
      { ! tls_enabled || port_open "$KAFKA_HOST" "$KAFKA_TLS_PORT"; }; then
      printf ' ready\n'
      log "broker ready at $KAFKA_HOST:$KAFKA_PORT after $((SECONDS - started)) s (pid $pid)"
      if tls_enabled; then
        log "SASL_SSL on $KAFKA_HOST:$KAFKA_TLS_PORT: DUBAN_KAFKA_SSL=true DUBAN_KAFKA_SSL_CA=$TLS_CA_FILE"
      fi
      return 0
    fi
    if ((SECONDS - started >= KAFKA_START_TIMEOUT)); then
      printf '\n'
      err "the broker was not ready after ${KAFKA_START_TIMEOUT}s; stopping it"
      print_log_tail 40
      stop_pid "$pid" >&2 || true
      exit 1
    fi
    printf '.'
    sleep 1
  done
}

cmd_start() {
  local pid
  pid="$(our_pid)"
  if [[ -n "$pid" ]]; then
    if port_open "$KAFKA_HOST" "$KAFKA_PORT"; then
      log "already running (pid $pid) at $KAFKA_HOST:$KAFKA_PORT; log: $LOG_FILE"
      return 0
    fi
    # our JVM is alive but not listening yet: another start is in progress (or it hangs)
    log "broker process $pid exists but $KAFKA_HOST:$KAFKA_PORT is not open yet: waiting for it"
    wait_until_ready "$pid"
    return 0
  fi
  rm -f "$PID_FILE"

  local addr
  local addrs=("$KAFKA_HOST:$KAFKA_PORT" "127.0.0.1:$KAFKA_CONTROLLER_PORT")
  if tls_enabled; then addrs+=("$KAFKA_HOST:$KAFKA_TLS_PORT"); fi
  for addr in "${addrs[@]}"; do
    if port_open "${addr%:*}" "${addr##*:}"; then
      err "port $addr is already in use by another process (not our broker):"
      port_owner "${addr##*:}" >&2
      err "stop that process, or choose other ports: KAFKA_PORT=... KAFKA_CONTROLLER_PORT=... KAFKA_TLS_PORT=... $0 start"
      exit 1
    fi
  done

  require_java
  cmd_fetch
  write_config
  # keep the previous run's log next to the new one: the new log holds this run only
  [[ -f "$LOG_FILE" ]] && mv -f "$LOG_FILE" "$LOG_FILE.prev"
  [[ -f "$OUT_FILE" ]] && mv -f "$OUT_FILE" "$OUT_FILE.prev"
  format_storage_once

  log "starting Kafka $KAFKA_VERSION (KRaft) on $KAFKA_HOST:$KAFKA_PORT, controller $KAFKA_HOST:$KAFKA_CONTROLLER_PORT"
  # setsid + nohup: own session, survives the calling shell; the wrapper writes its own pid
  # and then execs java, so the pid file holds the JVM's pid.
  # shellcheck disable=SC2086 # KAFKA_HEAP_OPTS is a list of JVM flags
  nohup setsid bash -c 'echo $$ >"$0"; exec "$@"' "$PID_FILE" \
    "$JAVA" $KAFKA_HEAP_OPTS -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
    -Dlog4j.configuration="file:$LOG4J_FILE" -Dkafka.logs.dir="$RUN_DIR" \
    -cp "$LIBS_DIR/*" kafka.Kafka "$CONFIG_FILE" \
    >>"$OUT_FILE" 2>&1 </dev/null &

  local i
  for i in $(seq 1 50); do
    [[ -s "$PID_FILE" ]] && break
    sleep 0.1
  done
  pid="$(tr -dc '0-9' <"$PID_FILE" 2>/dev/null || true)"
  [[ -n "$pid" ]] || { err "could not start the broker (no pid file)"; print_log_tail 40; exit 1; }
  wait_until_ready "$pid"
}

# ---------------------------------------------------------------------------------------------
# stop

stop_pid() {
  local pid="$1" waited=0
  log "stopping broker (pid $pid): SIGTERM, waiting up to ${KAFKA_STOP_TIMEOUT}s"
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do
    if ((waited >= KAFKA_STOP_TIMEOUT * 2)); then
      log "still running after ${KAFKA_STOP_TIMEOUT}s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.5
    waited=$((waited + 1))
  done
  rm -f "$PID_FILE"
  log "stopped after $((waited / 2)) s"
}

cmd_stop() {
  local pid
  pid="$(our_pid)"
  if [[ -z "$pid" ]]; then
    rm -f "$PID_FILE"
    log "not running"
    return 0
  fi
  stop_pid "$pid"
}

# ---------------------------------------------------------------------------------------------
# status / logs / reset

cmd_status() {
  local pid
  pid="$(our_pid)"
  if [[ -n "$pid" ]]; then
    if port_open "$KAFKA_HOST" "$KAFKA_PORT"; then
      log "running: pid $pid, broker $KAFKA_HOST:$KAFKA_PORT, controller $KAFKA_HOST:$KAFKA_CONTROLLER_PORT"
    else
      log "process $pid alive but $KAFKA_HOST:$KAFKA_PORT not open (starting, or unhealthy)"
    fi
  else
    log "not running (broker port $KAFKA_HOST:$KAFKA_PORT)"
    if port_open "$KAFKA_HOST" "$KAFKA_PORT"; then
      log "note: port $KAFKA_PORT is open, but not by our broker:"
      port_owner "$KAFKA_PORT"
    fi
  fi
  log "log:    $LOG_FILE"
  log "stdout: $OUT_FILE"
  log "config: $CONFIG_FILE"
  log "auth:   SASL/SCRAM-SHA-512 on $KAFKA_PORT, super user admin (password in $ADMIN_PASSWORD_FILE)"
  if tls_enabled; then log "tls:    SASL_SSL on $KAFKA_TLS_PORT, clients trust $TLS_CA_FILE"; fi
  log "data:   $DATA_DIR$([[ -f "$DATA_DIR/meta.properties" ]] && echo " (formatted, cluster id $(cat "$CLUSTER_ID_FILE" 2>/dev/null || echo '?'))" || echo " (not formatted)")"
  log "jars:   $LIBS_DIR$(fetch_complete && echo " (complete)" || echo " (not fetched)")"
  [[ -n "$pid" ]] || return 3
}

cmd_logs() {
  local follow="" lines=100 arg
  for arg in "$@"; do
    case "$arg" in
      -f | --follow) follow=1 ;;
      '' | *[!0-9]*) err "usage: $0 logs [-f] [lines]"; exit 2 ;;
      *) lines="$arg" ;;
    esac
  done
  [[ -f "$LOG_FILE" ]] || { log "no log yet at $LOG_FILE"; return 0; }
  if [[ -n "$follow" ]]; then
    exec tail -n "$lines" -F "$LOG_FILE"
  fi
  tail -n "$lines" "$LOG_FILE"
}

cmd_reset() {
  cmd_stop
  if [[ -d "$DATA_DIR" ]]; then
    rm -rf -- "$DATA_DIR"
    log "deleted $DATA_DIR: the next start formats fresh storage (all topics and offsets gone)"
  else
    log "no data dir at $DATA_DIR: nothing to delete"
  fi
}

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'
}

main() {
  local cmd="${1:-}"
  [[ $# -gt 0 ]] && shift
  case "$cmd" in
    fetch) cmd_fetch ;;
    start) cmd_start ;;
    stop) cmd_stop ;;
    restart) cmd_stop && cmd_start ;;
    status) cmd_status ;;
    logs) cmd_logs "$@" ;;
    reset) cmd_reset ;;
    -h | --help | help) usage ;;
    *) usage >&2; exit 2 ;;
  esac
}

main "$@"
