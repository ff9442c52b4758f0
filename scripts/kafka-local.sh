#!/usr/bin/env bash
# A real Apache Kafka on 127.0.0.1 (KRaft: each node broker and controller in one process, no
# ZooKeeper, no Docker), from the official jars that Maven fetches once: one node by default, or
# a cluster of KAFKA_LOCAL_NODES nodes that form one controller quorum.
#
#   scripts/kafka-local.sh start    start (or find running) every node; print the bootstrap list
#                                   (host:port, comma-separated for a cluster) as the last line
#   scripts/kafka-local.sh stop     stop every node started from this home, by its recorded PID
#   scripts/kafka-local.sh status   exit 0 when every node runs, 3 when not
#   scripts/kafka-local.sh brokers  print the bootstrap list
#   scripts/kafka-local.sh logs [lines]    print the end of each node's log
#
# One node of a cluster, by its number (1..KAFKA_LOCAL_NODES), for fault tests:
#   scripts/kafka-local.sh start-node N    start it again (with its data)
#   scripts/kafka-local.sh stop-node N     stop it gracefully (SIGTERM)
#   scripts/kafka-local.sh kill-node N     kill -9
#   scripts/kafka-local.sh pause-node N    SIGSTOP, as a frozen process or a long GC pause
#   scripts/kafka-local.sh resume-node N   SIGCONT
#   scripts/kafka-local.sh pid-node N      print its PID
#
# Environment: KAFKA_LOCAL_HOME (state: config, data, PID, log; default .cache/kafka-local; a
# cluster keeps node N in node-N/ there), KAFKA_LOCAL_NODES (default 1), KAFKA_LOCAL_PORT (default
# 9092; node N of a cluster listens on port + 2(N-1) and its controller on the port after),
# KAFKA_LOCAL_CONTROLLER_PORT (one node only; default port + 1), KAFKA_LOCAL_ADVERTISED_PORT (one
# node only: the port clients are told to use; default the port, fault tests put a proxy there),
# KAFKA_LOCAL_REBALANCE_DELAY_MS (group.initial.rebalance.delay.ms; default 0 so that a lone test
# consumer starts at once, where Kafka's default of 3000 lets members that start together join
# one generation), KAFKA_VERSION (default in scripts/kafka/pom.xml). The data survives restarts,
# also after kill -9.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
POM="$ROOT/scripts/kafka/pom.xml"
KAFKA_VERSION="${KAFKA_VERSION:-$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$POM")}"
STATE="${KAFKA_LOCAL_HOME:-$ROOT/.cache/kafka-local}"
NODES="${KAFKA_LOCAL_NODES:-1}"
PORT="${KAFKA_LOCAL_PORT:-9092}"
JARS="$ROOT/.cache/kafka-jars/$KAFKA_VERSION"
START_TIMEOUT_S="${KAFKA_LOCAL_START_TIMEOUT_S:-90}"
REBALANCE_DELAY_MS="${KAFKA_LOCAL_REBALANCE_DELAY_MS:-0}"

if ! [[ "$NODES" =~ ^[1-9]$ ]]; then
  echo "kafka-local: KAFKA_LOCAL_NODES must be 1 to 9, not $NODES" >&2
  exit 2
fi

# Where node N lives and listens: NODE_HOME, NODE_PORT, NODE_CONTROLLER_PORT,
# NODE_ADVERTISED_PORT, PID_FILE, LOG_FILE. One node keeps the layout it always had.
select_node() {
  local n="$1"
  if ((NODES == 1)); then
    NODE_HOME="$STATE"
    NODE_PORT="$PORT"
    NODE_CONTROLLER_PORT="${KAFKA_LOCAL_CONTROLLER_PORT:-$((PORT + 1))}"
    NODE_ADVERTISED_PORT="${KAFKA_LOCAL_ADVERTISED_PORT:-$PORT}"
  else
    NODE_HOME="$STATE/node-$n"
    NODE_PORT=$((PORT + 2 * (n - 1)))
    NODE_CONTROLLER_PORT=$((NODE_PORT + 1))
    NODE_ADVERTISED_PORT="$NODE_PORT"
  fi
  PID_FILE="$NODE_HOME/broker.pid"
  LOG_FILE="$NODE_HOME/broker.log"
}

# One value per node, comma-separated: what function $1 prints for node N once it is selected.
per_node() {
  local n list=()
  for n in $(seq 1 "$NODES"); do
    select_node "$n"
    list+=("$("$1" "$n")")
  done
  (IFS=,; echo "${list[*]}")
}

client_address() { echo "127.0.0.1:$NODE_ADVERTISED_PORT"; }
quorum_voter() { echo "$1@127.0.0.1:$NODE_CONTROLLER_PORT"; }

# The bootstrap list of every node: host:port[,host:port…]
bootstrap_list() { per_node client_address; }

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
  local n="$1" replicas=$((NODES < 3 ? NODES : 3)) min_isr=$((NODES < 3 ? 1 : 2))
  mkdir -p "$NODE_HOME/data"
  cat >"$NODE_HOME/server.properties" <<PROPERTIES
process.roles=broker,controller
node.id=$n
controller.quorum.voters=$(per_node quorum_voter)
listeners=PLAINTEXT://127.0.0.1:$NODE_PORT,CONTROLLER://127.0.0.1:$NODE_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$NODE_ADVERTISED_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$NODE_HOME/data
num.partitions=3
offsets.topic.replication.factor=$replicas
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=$replicas
transaction.state.log.min.isr=$min_isr
share.coordinator.state.topic.replication.factor=$replicas
share.coordinator.state.topic.min.isr=$min_isr
auto.create.topics.enable=true
group.initial.rebalance.delay.ms=$REBALANCE_DELAY_MS
num.network.threads=2
num.io.threads=4
log.retention.hours=24
PROPERTIES
}

# Every node of a cluster is formatted with the one cluster id, kept beside them.
format_once() {
  [ -f "$NODE_HOME/data/meta.properties" ] && return 0
  local id_file="$STATE/cluster.id"
  if [ ! -s "$id_file" ]; then
    kafka_java kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1 >"$id_file"
  fi
  local cluster_id
  cluster_id="$(cat "$id_file")"
  say "formatting $NODE_HOME/data for cluster $cluster_id"
  kafka_java kafka.tools.StorageTool format -t "$cluster_id" -c "$NODE_HOME/server.properties" >>"$LOG_FILE" 2>&1
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A node logs "Kafka Server started" once its broker is registered with the quorum's leader and
# caught up with the metadata: so every node started means the quorum has a leader.
wait_until_started() {
  local n="$1" pid="$2" deadline=$((SECONDS + START_TIMEOUT_S))
  select_node "$n"
  while ((SECONDS < deadline)); do
    if ! alive "$pid"; then
      say "node $n exited during start-up; last log lines:"
      tail -n 40 "$LOG_FILE" >&2
      return 1
    fi
    if grep -q "Kafka Server started" "$LOG_FILE" && port_open "$NODE_PORT"; then return 0; fi
    sleep 0.5
  done
  say "node $n did not start within ${START_TIMEOUT_S}s; last log lines:"
  tail -n 40 "$LOG_FILE" >&2
  return 1
}

# Starts node N unless it runs; prints its PID. Does not wait.
launch_node() {
  local n="$1" pid
  select_node "$n"
  if pid="$(running_pid)"; then
    echo "$pid"
    return 0
  fi
  if port_open "$NODE_PORT"; then
    say "port $NODE_PORT is taken by another process; choose KAFKA_LOCAL_PORT"
    return 1
  fi
  mkdir -p "$NODE_HOME"
  write_config "$n"
  format_once
  # A fresh log per start, so "started" is this start's line; the previous one is kept beside it.
  if [ -f "$LOG_FILE" ]; then mv "$LOG_FILE" "$LOG_FILE.previous"; fi
  # nohup execs java, so $! is the broker's own PID.
  nohup java "${JAVA_OPTIONS[@]}" -cp "$JARS/*" kafka.Kafka "$NODE_HOME/server.properties" \
    </dev/null >"$LOG_FILE" 2>&1 &
  pid=$!
  echo "$pid" >"$PID_FILE"
  echo "$pid"
}

start() {
  fetch_jars
  mkdir -p "$STATE"
  local n pids=()
  # All nodes at once: a node's controller waits for a majority of the quorum before it serves.
  for n in $(seq 1 "$NODES"); do pids+=("$(launch_node "$n")"); done
  say "started node PIDs ${pids[*]}, waiting for them to accept requests"
  for n in $(seq 1 "$NODES"); do wait_until_started "$n" "${pids[$((n - 1))]}"; done
  say "ready after ${SECONDS}s"
  bootstrap_list
}

# A killed JVM's main thread is a zombie before its other threads have exited, and its sockets
# close only with the last of them: a node is gone once its ports no longer answer.
until_gone() {
  local pid="$1" deadline=$((SECONDS + 30))
  while { alive "$pid" || port_open "$NODE_PORT" || port_open "$NODE_CONTROLLER_PORT"; } &&
    ((SECONDS < deadline)); do
    sleep 0.1
  done
}

stop_node() {
  local n="$1" pid
  select_node "$n"
  if ! pid="$(running_pid)"; then
    rm -f "$PID_FILE"
    return 0
  fi
  # A paused node cannot act on SIGTERM.
  kill -CONT "$pid" 2>/dev/null || true
  kill -TERM "$pid"
  for _ in $(seq 1 60); do
    alive "$pid" || break
    sleep 0.5
  done
  if alive "$pid"; then
    say "node $n still running after 30s, killing PID $pid"
    kill -KILL "$pid"
  fi
  until_gone "$pid"
  rm -f "$PID_FILE"
  say "stopped node $n (PID $pid)"
}

stop() {
  local n any=false
  for n in $(seq 1 "$NODES"); do
    select_node "$n"
    if running_pid >/dev/null; then any=true; fi
  done
  $any || say "not running"
  # A cluster's last nodes cannot finish a controlled shutdown without a quorum: stop them
  # together rather than one after the other.
  for n in $(seq 1 "$NODES"); do stop_node "$n" & done
  wait
}

status() {
  local n pid down=0
  for n in $(seq 1 "$NODES"); do
    select_node "$n"
    if pid="$(running_pid)"; then
      say "node $n running (PID $pid) on 127.0.0.1:$NODE_PORT"
    else
      say "node $n not running"
      down=1
    fi
  done
  ((down == 0)) || exit 3
}

logs() {
  local n
  for n in $(seq 1 "$NODES"); do
    select_node "$n"
    ((NODES == 1)) || echo "== node $n: $LOG_FILE"
    tail -n "${1:-100}" "$LOG_FILE" 2>/dev/null || true
  done
}

# Signals node N by its recorded PID.
signal_node() {
  local n="$1" signal="$2" pid
  select_node "$n"
  pid="$(running_pid)" || { say "node $n is not running"; return 1; }
  kill "-$signal" "$pid"
  say "sent SIG$signal to node $n (PID $pid)"
  if [ "$signal" = KILL ]; then
    until_gone "$pid"
    rm -f "$PID_FILE"
  fi
}

node_number() {
  if ! [[ "${1:-}" =~ ^[1-9]$ ]] || (($1 > NODES)); then
    echo "kafka-local: a node number from 1 to $NODES is needed" >&2
    exit 2
  fi
  echo "$1"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  brokers) bootstrap_list ;;
  logs) logs "${2:-100}" ;;
  start-node)
    n="$(node_number "${2:-}")"
    fetch_jars
    pid="$(launch_node "$n")"
    wait_until_started "$n" "$pid"
    say "node $n ready (PID $pid)"
    ;;
  stop-node) stop_node "$(node_number "${2:-}")" ;;
  kill-node) signal_node "$(node_number "${2:-}")" KILL ;;
  pause-node) signal_node "$(node_number "${2:-}")" STOP ;;
  resume-node) signal_node "$(node_number "${2:-}")" CONT ;;
  pid-node)
    select_node "$(node_number "${2:-}")"
    running_pid || exit 3
    ;;
  *)
    echo "usage: $0 start|stop|status|brokers|logs [lines]|start-node N|stop-node N|kill-node N|pause-node N|resume-node N|pid-node N" >&2
    exit 2
    ;;
esac
