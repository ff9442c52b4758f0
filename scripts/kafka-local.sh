#!/usr/bin/env bash
# A real single-node Apache Kafka broker (KRaft: broker and controller in one process, no
# ZooKeeper, no Docker) on 127.0.0.1, from the official jars that Maven fetches once.
#
#   scripts/kafka-local.sh start    start (or find running) and print host:port as the last line
#   scripts/kafka-local.sh stop     stop the broker started from this home, by its recorded PID
#   scripts/kafka-local.sh status   exit 0 when running, 3 when not
#   scripts/kafka-local.sh brokers  print host:port
#   scripts/kafka-local.sh logs     print the end of the broker log
#
# Environment: KAFKA_LOCAL_HOME (state: config, data, PID, log; default .cache/kafka-local),
# KAFKA_LOCAL_PORT (default 9092), KAFKA_LOCAL_CONTROLLER_PORT (default port + 1),
# KAFKA_LOCAL_ADVERTISED_PORT (the port clients are told to use; default the port, fault tests put
# a proxy there), KAFKA_VERSION (default in scripts/kafka/pom.xml). The data survives restarts,
# also after kill -9.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
POM="$ROOT/scripts/kafka/pom.xml"
KAFKA_VERSION="${KAFKA_VERSION:-$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$POM")}"
STATE="${KAFKA_LOCAL_HOME:-$ROOT/.cache/kafka-local}"
PORT="${KAFKA_LOCAL_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_LOCAL_CONTROLLER_PORT:-$((PORT + 1))}"
ADVERTISED_PORT="${KAFKA_LOCAL_ADVERTISED_PORT:-$PORT}"
JARS="$ROOT/.cache/kafka-jars/$KAFKA_VERSION"
PID_FILE="$STATE/broker.pid"
LOG_FILE="$STATE/broker.log"
START_TIMEOUT_S="${KAFKA_LOCAL_START_TIMEOUT_S:-90}"

say() { echo "kafka-local: $*" >&2; }

# A killed broker can stay a zombie until its parent (init here) reaps it, and `kill -0` succeeds
# on a zombie: only a process in any other state is alive.
alive() {
  if [ -d /proc/self ]; then
    [ -r "/proc/$1/status" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status"
  else
    kill -0 "$1" 2>/dev/null # no /proc (macOS): a zombie there is reaped by launchd at once
  fi
}

running_pid() {
  [ -f "$PID_FILE" ] || return 1
  local pid
  pid="$(cat "$PID_FILE")"
  alive "$pid" && echo "$pid"
}

fetch_jars() {
  [ -f "$JARS/.complete" ] && return 0
  say "fetching Apache Kafka $KAFKA_VERSION with Maven into $JARS"
  rm -rf "$JARS" && mkdir -p "$JARS"
  mvn -q -B -f "$POM" -Dkafka.version="$KAFKA_VERSION" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$JARS" >&2
  touch "$JARS/.complete"
}

# A modest heap: the machines have 2 cores and the broker shares them with the tests.
JAVA_OPTIONS=(-Xms256m -Xmx512m -XX:+UseG1GC -Djava.awt.headless=true
  -Dorg.slf4j.simpleLogger.defaultLogLevel=info -Dorg.slf4j.simpleLogger.showDateTime=true)

kafka_java() { java "${JAVA_OPTIONS[@]}" -cp "$JARS/*" "$@"; }

write_config() {
  mkdir -p "$STATE/data"
  cat >"$STATE/server.properties" <<PROPERTIES
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$ADVERTISED_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$STATE/data
num.partitions=3
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
auto.create.topics.enable=true
# A single member must get its partitions at once, not after the default 3 s.
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=4
log.retention.hours=24
PROPERTIES
}

format_once() {
  [ -f "$STATE/data/meta.properties" ] && return 0
  local cluster_id
  cluster_id="$(kafka_java kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)"
  say "formatting $STATE/data for cluster $cluster_id"
  kafka_java kafka.tools.StorageTool format -t "$cluster_id" -c "$STATE/server.properties" >>"$LOG_FILE" 2>&1
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }

wait_until_started() {
  local pid="$1" deadline=$((SECONDS + START_TIMEOUT_S))
  while ((SECONDS < deadline)); do
    if ! alive "$pid"; then
      say "the broker exited during start-up; last log lines:"
      tail -n 40 "$LOG_FILE" >&2
      return 1
    fi
    if grep -q "Kafka Server started" "$LOG_FILE" && port_open; then return 0; fi
    sleep 0.5
  done
  say "the broker did not start within ${START_TIMEOUT_S}s; last log lines:"
  tail -n 40 "$LOG_FILE" >&2
  return 1
}

start() {
  if pid="$(running_pid)"; then
    say "already running (PID $pid)"
    echo "127.0.0.1:$PORT"
    return 0
  fi
  if port_open; then
    say "port $PORT is taken by another process; choose KAFKA_LOCAL_PORT"
    return 1
  fi
  fetch_jars
  mkdir -p "$STATE"
  write_config
  format_once
  # A fresh log per start, so "started" is this start's line; the previous one is kept beside it.
  if [ -f "$LOG_FILE" ]; then mv "$LOG_FILE" "$LOG_FILE.previous"; fi
  # nohup execs java, so $! is the broker's own PID.
  nohup java "${JAVA_OPTIONS[@]}" -cp "$JARS/*" kafka.Kafka "$STATE/server.properties" \
    </dev/null >"$LOG_FILE" 2>&1 &
  local pid=$!
  echo "$pid" >"$PID_FILE"
  say "started broker PID $pid, waiting for it to accept requests on 127.0.0.1:$PORT"
  wait_until_started "$pid"
  say "ready after ${SECONDS}s"
  echo "127.0.0.1:$PORT"
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then
    say "not running"
    rm -f "$PID_FILE"
    return 0
  fi
  kill -TERM "$pid"
  for _ in $(seq 1 60); do
    alive "$pid" || break
    sleep 0.5
  done
  if alive "$pid"; then
    say "still running after 30s, killing PID $pid"
    kill -KILL "$pid"
  fi
  rm -f "$PID_FILE"
  say "stopped PID $pid"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if pid="$(running_pid)"; then say "running (PID $pid) on 127.0.0.1:$PORT"; else exit 3; fi ;;
  brokers) echo "127.0.0.1:$PORT" ;;
  logs) tail -n "${2:-100}" "$LOG_FILE" ;;
  *) echo "usage: $0 start|stop|status|brokers|logs" >&2; exit 2 ;;
esac
