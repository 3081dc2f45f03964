#!/usr/bin/env bash
# A single-node Apache Kafka (3.9, KRaft: one process is broker and controller) for the test
# suite and CI, run from jars that Maven copies from Maven Central (scripts/kafka/pom.xml).
#
#   bash scripts/kafka.sh provision   copy the jars into .cache/kafka/libs (once; cached)
#   bash scripts/kafka.sh start       format fresh storage, start the broker in the background,
#                                     wait until it is usable, print KAFKA_BOOTSTRAP_SERVERS=...
#   bash scripts/kafka.sh stop        SIGTERM, wait, then SIGKILL
#   bash scripts/kafka.sh status      running or not (exit code 0 or 1)
#
# KAFKA_PORT (default 9092) is the client port; the controller listens on KAFKA_CONTROLLER_PORT
# (default KAFKA_PORT + 1). Everything lives in .cache/kafka (gitignored): libs/, data/ (wiped
# at every start), server.properties, broker.pid and the logs (server.log, broker.out).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
POM="$ROOT/scripts/kafka/pom.xml"
LOG4J="$ROOT/scripts/kafka/log4j.properties"
PROBE="$ROOT/scripts/kafka/BrokerProbe.java"
HOME_DIR="$ROOT/.cache/kafka"
LIBS="$HOME_DIR/libs"
STAMP="$LIBS/.provisioned"
DATA="$HOME_DIR/data"
PROPS="$HOME_DIR/server.properties"
PID_FILE="$HOME_DIR/broker.pid"
PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((PORT + 1))}"
BOOTSTRAP="127.0.0.1:$PORT"
START_TIMEOUT_S="${KAFKA_START_TIMEOUT_S:-90}"
STOP_TIMEOUT_S=30

say() { echo "kafka.sh: $*" >&2; }

pom_hash() { sha256sum "$POM" | cut -d' ' -f1; }

provision() {
  # The stamp holds the pom's hash, so editing the pom (e.g. the Kafka version) re-provisions.
  if [[ -f "$STAMP" && "$(cat "$STAMP")" == "$(pom_hash)" ]]; then
    say "jars already provisioned in ${LIBS#"$ROOT"/}"
    return 0
  fi
  command -v mvn >/dev/null || { say "mvn is not installed"; return 1; }
  command -v java >/dev/null || { say "java is not installed"; return 1; }
  mkdir -p "$HOME_DIR"
  local staging
  staging="$(mktemp -d "$HOME_DIR/libs.XXXXXX")"
  say "copying Kafka's jars from Maven Central (scripts/kafka/pom.xml)"
  if ! mvn -q -B -Dstyle.color=never -f "$POM" dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$staging" >&2; then
    rm -rf "$staging"
    say "mvn dependency:copy-dependencies failed"
    return 1
  fi
  # Swapped in whole, so an interrupted provisioning never leaves a partial classpath behind.
  chmod 755 "$staging"
  pom_hash >"$staging/.provisioned"
  rm -rf "$LIBS"
  mv "$staging" "$LIBS"
  say "provisioned $(find "$LIBS" -name '*.jar' | wc -l) jars in ${LIBS#"$ROOT"/}"
}

broker_pid() {
  # The pid file alone is not proof: the pid could have been reused by another process.
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(cat "$PID_FILE")"
  [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q 'kafka\.Kafka' || return 1
  echo "$pid"
}

# The address of the running broker, from its properties (KAFKA_PORT may differ now).
running_bootstrap() {
  sed -n 's|^advertised.listeners=PLAINTEXT://||p' "$PROPS"
}

write_properties() {
  cat >"$PROPS" <<EOF
# Written by scripts/kafka.sh start; edit the script, not this file.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DATA
num.partitions=1
default.replication.factor=1
# One node: the internal topics cannot have more replicas, and transactions need these.
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
# Fewer partitions of the internal topics than Kafka's 50: they are created faster.
offsets.topic.num.partitions=4
transaction.state.log.num.partitions=4
# Tests join groups often and use short session timeouts.
group.initial.rebalance.delay.ms=0
group.min.session.timeout.ms=1000
# Topics exist only when created, as the TopicLog contract expects.
auto.create.topics.enable=false
delete.topic.enable=true
# No time-based retention. Tests write records stamped in 1970 (as ksqlDB's QTT cases do) or in
# 2018 (the data set's replay); with Kafka's default of 7 days the broker deletes them at its
# next retention check (30 s after start, then every 5 minutes), under a reader's feet.
log.retention.ms=-1
EOF
}

start() {
  local pid
  if pid="$(broker_pid)"; then
    say "already running (pid $pid)"
    echo "KAFKA_BOOTSTRAP_SERVERS=$(running_bootstrap)"
    return 0
  fi
  [[ -f "$STAMP" ]] || provision
  mkdir -p "$HOME_DIR"
  rm -rf "$DATA"
  write_properties

  local java_opts=(-Xms256m -Xmx512m -XX:+UseG1GC -Djava.awt.headless=true
    "-Dlog4j.configuration=file:$LOG4J" "-Dkafka.log.file=$HOME_DIR/server.log")
  local cluster_id
  cluster_id="$(java "${java_opts[@]}" -cp "$LIBS/*" kafka.tools.StorageTool random-uuid)"
  java "${java_opts[@]}" -cp "$LIBS/*" kafka.tools.StorageTool format \
    -t "$cluster_id" -c "$PROPS" >"$HOME_DIR/format.out" 2>&1 ||
    { cat "$HOME_DIR/format.out" >&2; say "formatting the storage failed"; return 1; }

  # setsid: the broker outlives this script and the shell or CI step that ran it; the inner
  # shell writes its own pid and then becomes the JVM, so the pid file names the broker.
  rm -f "$PID_FILE"
  setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$PID_FILE" \
    java "${java_opts[@]}" -cp "$LIBS/*" kafka.Kafka "$PROPS" \
    </dev/null >"$HOME_DIR/broker.out" 2>&1 &
  for _ in $(seq 50); do [[ -s "$PID_FILE" ]] && break; sleep 0.1; done
  pid="$(cat "$PID_FILE")"
  say "broker starting (pid $pid, cluster $cluster_id, log .cache/kafka/server.log)"

  # The probe is itself a JVM: first wait for the port, which is cheap to test from bash.
  local waited=0
  until (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 30 "$HOME_DIR/broker.out" "$HOME_DIR/server.log" >&2 || true
      say "the broker exited during start-up"
      return 1
    fi
    if ((waited >= START_TIMEOUT_S * 10)); then
      say "port $PORT not open after ${START_TIMEOUT_S}s"
      stop
      return 1
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  if ! java -Xmx128m "-Dlog4j.configuration=file:$LOG4J" "-Dkafka.log.file=$HOME_DIR/probe.log" \
    -cp "$LIBS/*" "$PROBE" "$BOOTSTRAP" "$START_TIMEOUT_S"; then
    tail -n 30 "$HOME_DIR/server.log" >&2 || true
    say "the broker did not become usable"
    stop
    return 1
  fi
  say "ready on $BOOTSTRAP"
  echo "KAFKA_BOOTSTRAP_SERVERS=$BOOTSTRAP"
}

stop() {
  local pid
  if ! pid="$(broker_pid)"; then
    say "not running"
    rm -f "$PID_FILE"
    return 0
  fi
  kill -TERM "$pid"
  for _ in $(seq $((STOP_TIMEOUT_S * 10))); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$PID_FILE"; say "stopped (pid $pid)"; return 0; }
    sleep 0.1
  done
  say "no clean shutdown after ${STOP_TIMEOUT_S}s: killing pid $pid"
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$PID_FILE"
}

status() {
  local pid
  if pid="$(broker_pid)"; then
    say "running (pid $pid) on $(running_bootstrap)"
  else
    say "not running"
    return 1
  fi
}

case "${1:-}" in
  provision) provision ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  *)
    echo "usage: bash scripts/kafka.sh provision|start|stop|status" >&2
    exit 2
    ;;
esac
