#!/usr/bin/env bash
# A real Apache Kafka on 127.0.0.1 (KRaft: each node broker and controller in one process, no
# ZooKeeper, no Docker), from the official jars that Maven fetches once: one node by default, or
# a cluster of KAFKA_LOCAL_NODES nodes that form one controller quorum.
#
#   scripts/kafka-local.sh start    start (or find running) every node; print the bootstrap list
#                                   (host:port, comma-separated for a cluster) as the last line,
#                                   or in a secured mode the line client-env prints
#   scripts/kafka-local.sh stop     stop every node started from this home, by its recorded PID
#   scripts/kafka-local.sh status   exit 0 when every node runs, 3 when not
#   scripts/kafka-local.sh brokers  print the bootstrap list
#   scripts/kafka-local.sh client-env      print the variables a client of the service needs, on
#                                   one line: KAFKA_BROKER=<bootstrap list> and, when secured,
#                                   KAFKA_SSL, KAFKA_SSL_CA_FILE, KAFKA_SASL_MECHANISM,
#                                   KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD_FILE (sasl_ssl) or
#                                   KAFKA_SSL_CERT_FILE, KAFKA_SSL_KEY_FILE (ssl)
#   scripts/kafka-local.sh logs [lines]    print the end of each node's log
#
# SCRAM users of a running sasl_ssl broker (SCRAM-SHA-512 and SCRAM-SHA-256 credentials), made as
# its admin; each command returns once every node authenticates with the new credentials:
#   scripts/kafka-local.sh add-user NAME PASSWORD_FILE   create them, or change the password (the
#                                   file's one trailing newline is not part of it)
#   scripts/kafka-local.sh delete-user NAME              the user can no longer log in with SCRAM:
#                                   its password becomes an unknown one (see delete_user for why
#                                   the credentials are not deleted)
#
# One node of a cluster, by its number (1..KAFKA_LOCAL_NODES), for fault tests:
#   scripts/kafka-local.sh start-node N    start it again (with its data)
#   scripts/kafka-local.sh stop-node N     stop it gracefully (SIGTERM)
#   scripts/kafka-local.sh kill-node N     kill -9
#   scripts/kafka-local.sh pause-node N    SIGSTOP, as a frozen process or a long GC pause
#   scripts/kafka-local.sh resume-node N   SIGCONT
#   scripts/kafka-local.sh pid-node N      print its PID
#
# Environment: KAFKA_LOCAL_HOME (state: config, data, PID, log; default .cache/kafka-local, and
# .cache/kafka-local-<mode> when secured; a cluster keeps node N in node-N/ there),
# KAFKA_LOCAL_NODES (default 1), KAFKA_LOCAL_PORT (default 9092; node N of a cluster listens on
# port + 2(N-1) and its controller on the port after),
# KAFKA_LOCAL_CONTROLLER_PORT (one node only; default port + 1), KAFKA_LOCAL_ADVERTISED_PORT (one
# node only: the port clients are told to use; default the port, fault tests put a proxy there),
# KAFKA_LOCAL_REBALANCE_DELAY_MS (group.initial.rebalance.delay.ms; default 0 so that a lone test
# consumer starts at once, where Kafka's default of 3000 lets members that start together join
# one generation), KAFKA_VERSION (default in scripts/kafka/pom.xml). The data survives restarts,
# also after kill -9.
#
# Nodes on hosts of their own (scripts/kafka-netns.sh runs each in a network namespace; plaintext
# only, as the certificates name 127.0.0.1): KAFKA_LOCAL_HOSTS, the address each node listens
# and advertises on, comma-separated from node 1 (default 127.0.0.1 for all): each node then
# uses the port and its controller the port after, its address telling it apart.
# KAFKA_LOCAL_NODE_EXEC, a command that runs each node's JVM, {n} in it standing for the node's
# number (e.g. "ip netns exec uev-kafka-{n}"); it must exec the JVM, whose PID is recorded.
#
# KAFKA_LOCAL_SECURITY chooses what the client listener (the node's port) speaks, for one node
# or a cluster:
#   plaintext (default)  PLAINTEXT, without authentication: as before there were modes
#   sasl_ssl             SASL_SSL only: TLS, then SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN. The nodes
#                        speak to each other there too, as the SCRAM-SHA-512 user admin (made at
#                        format time). The client user KAFKA_LOCAL_SASL_USER (default service) has
#                        SCRAM credentials of both kinds, and is the one PLAIN user (PLAIN users
#                        are fixed at each start), with the same random password
#   ssl                  TLS with client certificates (ssl.client.auth=required): a client
#                        presents one the CA signed
# The controller listener stays PLAINTEXT on 127.0.0.1 in every mode. A home is only used in the
# mode it was formatted in (marked in its file security): another mode is refused with the fix
# named, never reformatted. A secured home's tls/, made at its first start, holds ca.crt (PEM,
# ca.key beside it), client.crt and client.key (PEM, the key PKCS8 and unencrypted), the nodes'
# PKCS12 stores and store.password, and in sasl_ssl admin.password and <user>.password.
# Passwords are random, each alone in its file: mode 600, no newline.
# KAFKA_LOCAL_TLS_CERT (secured modes; read at each start, so a restart switches it) chooses the
# certificate the client listener presents: valid (default), expired (signed by the CA, its
# validity ended two days ago) or wrong-host (signed by the CA, for DNS:wrong-host.invalid only).
# With expired or wrong-host, the nodes speak to each other on a listener of their own.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
POM="$ROOT/scripts/kafka/pom.xml"
KAFKA_VERSION="${KAFKA_VERSION:-$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$POM")}"
SECURITY="${KAFKA_LOCAL_SECURITY:-plaintext}"
case "$SECURITY" in
  plaintext) LISTENER=PLAINTEXT STATE="${KAFKA_LOCAL_HOME:-$ROOT/.cache/kafka-local}" ;;
  sasl_ssl) LISTENER=SASL_SSL STATE="${KAFKA_LOCAL_HOME:-$ROOT/.cache/kafka-local-sasl_ssl}" ;;
  ssl) LISTENER=SSL STATE="${KAFKA_LOCAL_HOME:-$ROOT/.cache/kafka-local-ssl}" ;;
  *)
    echo "kafka-local: KAFKA_LOCAL_SECURITY must be plaintext, sasl_ssl or ssl, not $SECURITY" >&2
    exit 2
    ;;
esac
TLS="$STATE/tls"
SASL_USER="${KAFKA_LOCAL_SASL_USER:-service}"
TLS_CERT="${KAFKA_LOCAL_TLS_CERT:-valid}"
NODES="${KAFKA_LOCAL_NODES:-1}"
PORT="${KAFKA_LOCAL_PORT:-9092}"
JARS="$ROOT/.cache/kafka-jars/$KAFKA_VERSION"
START_TIMEOUT_S="${KAFKA_LOCAL_START_TIMEOUT_S:-90}"
REBALANCE_DELAY_MS="${KAFKA_LOCAL_REBALANCE_DELAY_MS:-0}"
IFS=, read -ra HOSTS <<<"${KAFKA_LOCAL_HOSTS:-}"
NODE_EXEC="${KAFKA_LOCAL_NODE_EXEC:-}"

if ! [[ "$NODES" =~ ^[1-9]$ ]]; then
  echo "kafka-local: KAFKA_LOCAL_NODES must be 1 to 9, not $NODES" >&2
  exit 2
fi
if ((${#HOSTS[@]} > 0)); then
  if ((${#HOSTS[@]} != NODES)); then
    echo "kafka-local: KAFKA_LOCAL_HOSTS must name $NODES addresses, not ${KAFKA_LOCAL_HOSTS}" >&2
    exit 2
  fi
  if [ "$SECURITY" != plaintext ]; then
    echo "kafka-local: KAFKA_LOCAL_HOSTS is for plaintext: the certificates name 127.0.0.1" >&2
    exit 2
  fi
fi

# The certificates and keys of the secured modes: ensure_tls, new_password.
# shellcheck source=SCRIPTDIR/kafka/tls.sh
. "$ROOT/scripts/kafka/tls.sh"

# Where node N lives and listens: NODE_HOME, NODE_HOST, NODE_PORT, NODE_CONTROLLER_PORT,
# NODE_ADVERTISED_PORT, PID_FILE, LOG_FILE. One node keeps the layout it always had.
select_node() {
  local n="$1"
  NODE_HOST="${HOSTS[$((n - 1))]:-127.0.0.1}"
  if ((NODES == 1)); then
    NODE_HOME="$STATE"
    NODE_PORT="$PORT"
    NODE_CONTROLLER_PORT="${KAFKA_LOCAL_CONTROLLER_PORT:-$((PORT + 1))}"
    NODE_ADVERTISED_PORT="${KAFKA_LOCAL_ADVERTISED_PORT:-$PORT}"
  elif ((${#HOSTS[@]} > 0)); then
    NODE_HOME="$STATE/node-$n"
    NODE_PORT="$PORT"
    NODE_CONTROLLER_PORT=$((PORT + 1))
    NODE_ADVERTISED_PORT="$PORT"
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

client_address() { echo "$NODE_HOST:$NODE_ADVERTISED_PORT"; }
quorum_voter() { echo "$1@$NODE_HOST:$NODE_CONTROLLER_PORT"; }

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

# The client listener is also the one the nodes speak to each other on. The controller listener
# stays PLAINTEXT in every mode: it is bound to the node's address and only the nodes use it.
write_config() {
  local n="$1" replicas=$((NODES < 3 ? NODES : 3)) min_isr=$((NODES < 3 ? 1 : 2))
  # A failure certificate (KAFKA_LOCAL_TLS_CERT) is the client listener's alone: the nodes then
  # speak to each other on a listener of their own with the valid one, on a port the system
  # chooses and each node registers. Kafka does not start when the inter-broker listener's
  # certificate fails its own truststore (expired), and nodes would refuse a wrong-host one.
  local internal="" inter="$LISTENER" internal_protocol=""
  if [ "$SECURITY" != plaintext ] && [ "$TLS_CERT" != valid ]; then
    internal=",INTERNAL://127.0.0.1:0" inter=INTERNAL internal_protocol=",INTERNAL:$LISTENER"
  fi
  mkdir -p "$NODE_HOME/data"
  if [ "$SECURITY" != plaintext ]; then
    # It holds passwords.
    : >"$NODE_HOME/server.properties"
    chmod 600 "$NODE_HOME/server.properties"
  fi
  cat >"$NODE_HOME/server.properties" <<PROPERTIES
process.roles=broker,controller
node.id=$n
controller.quorum.voters=$(per_node quorum_voter)
listeners=$LISTENER://$NODE_HOST:$NODE_PORT,CONTROLLER://$NODE_HOST:$NODE_CONTROLLER_PORT$internal
advertised.listeners=$LISTENER://$NODE_HOST:$NODE_ADVERTISED_PORT$internal
controller.listener.names=CONTROLLER
inter.broker.listener.name=$inter
listener.security.protocol.map=$LISTENER:$LISTENER,CONTROLLER:PLAINTEXT$internal_protocol
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
  if [ "$SECURITY" != plaintext ]; then security_config >>"$NODE_HOME/server.properties"; fi
}

# TLS on the secured listeners, the client listener's certificate the one KAFKA_LOCAL_TLS_CERT
# names, and in sasl_ssl the mechanisms. Each mechanism needs a JAAS config on each listener:
# SCRAM's names the user the nodes log in to each other as (the SCRAM users themselves are in the
# metadata), PLAIN's lists its users with their passwords, the only PLAIN users there are.
security_config() {
  local store_password
  store_password="$(cat "$TLS/store.password")"
  cat <<PROPERTIES
ssl.keystore.type=PKCS12
ssl.keystore.location=$TLS/broker.p12
ssl.keystore.password=$store_password
ssl.truststore.type=PKCS12
ssl.truststore.location=$TLS/truststore.p12
ssl.truststore.password=$store_password
PROPERTIES
  # The client listener's name in lower case, as a prefix wants it, is the mode's.
  local listeners=("$SECURITY")
  if [ "$TLS_CERT" != valid ]; then
    echo "listener.name.$SECURITY.ssl.keystore.location=$TLS/broker-$TLS_CERT.p12"
    listeners+=(internal)
  fi
  if [ "$SECURITY" = ssl ]; then
    echo "ssl.client.auth=required"
    return 0
  fi
  local admin_password user_password listener
  admin_password="$(cat "$TLS/admin.password")"
  user_password="$(cat "$TLS/$SASL_USER.password")"
  echo "sasl.enabled.mechanisms=SCRAM-SHA-512,SCRAM-SHA-256,PLAIN"
  echo "sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512"
  for listener in "${listeners[@]}"; do
    cat <<PROPERTIES
listener.name.$listener.scram-sha-512.sasl.jaas.config=$SCRAM_LOGIN username="admin" \
  password="$admin_password";
listener.name.$listener.scram-sha-256.sasl.jaas.config=$SCRAM_LOGIN;
listener.name.$listener.plain.sasl.jaas.config=$PLAIN_LOGIN user_$SASL_USER="$user_password";
PROPERTIES
  done
}

SCRAM_LOGIN="org.apache.kafka.common.security.scram.ScramLoginModule required"
PLAIN_LOGIN="org.apache.kafka.common.security.plain.PlainLoginModule required"

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
  if [ "$SECURITY" = plaintext ]; then
    kafka_java kafka.tools.StorageTool format -t "$cluster_id" -c "$NODE_HOME/server.properties" >>"$LOG_FILE" 2>&1
    return 0
  fi
  echo "$SECURITY" >"$STATE/security"
  # In sasl_ssl the first SCRAM users go into the metadata's bootstrap records here: the nodes
  # need admin's to reach each other. Through a java @argfile (mode 600), so that no password
  # shows in the process list.
  local args="$NODE_HOME/format.args"
  (umask 077 && {
    echo "kafka.tools.StorageTool format -t $cluster_id -c \"$NODE_HOME/server.properties\""
    if [ "$SECURITY" = sasl_ssl ]; then
      local user_password
      user_password="$(cat "$TLS/$SASL_USER.password")"
      echo "--add-scram SCRAM-SHA-512=[name=admin,password=$(cat "$TLS/admin.password")]"
      echo "--add-scram SCRAM-SHA-512=[name=$SASL_USER,password=$user_password]"
      echo "--add-scram SCRAM-SHA-256=[name=$SASL_USER,password=$user_password]"
    fi
  } >"$args")
  local status=0
  kafka_java "@$args" >>"$LOG_FILE" 2>&1 || status=$?
  rm -f "$args"
  return "$status"
}

# The mode the home was formatted in, empty when it is not: a home formatted before modes
# existed has no marker and is plaintext.
formatted_mode() {
  if [ -f "$STATE/security" ]; then
    cat "$STATE/security"
  elif compgen -G "$STATE/data/meta.properties" >/dev/null ||
    compgen -G "$STATE/node-*/data/meta.properties" >/dev/null; then
    echo plaintext
  fi
}

# The SCRAM users, the TLS material and the listeners belong to the mode a home was formatted
# in: another mode is refused rather than reformatting, which would lose the data.
check_mode() {
  local made
  made="$(formatted_mode)"
  if [ -n "$made" ] && [ "$made" != "$SECURITY" ]; then
    say "$STATE was formatted with KAFKA_LOCAL_SECURITY=$made: run with that, choose another" \
      "KAFKA_LOCAL_HOME, or delete $STATE (after stop) to start afresh"
    exit 2
  fi
}

# On the selected node's address.
port_open() { (exec 3<>"/dev/tcp/$NODE_HOST/$1") 2>/dev/null; }

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
  # nohup execs java (through KAFKA_LOCAL_NODE_EXEC's command, which execs it too), so $! is the
  # broker's own PID.
  local node_exec=()
  [ -z "$NODE_EXEC" ] || read -ra node_exec <<<"${NODE_EXEC//\{n\}/$n}"
  nohup "${node_exec[@]}" java "${JAVA_OPTIONS[@]}" -cp "$JARS/*" kafka.Kafka \
    "$NODE_HOME/server.properties" </dev/null >"$LOG_FILE" 2>&1 &
  pid=$!
  echo "$pid" >"$PID_FILE"
  echo "$pid"
}

# Before a node starts: the jars, and in a secured mode the TLS material and the passwords.
prepare() {
  fetch_jars
  mkdir -p "$STATE"
  check_mode
  NEW_CLIENT_USER=false
  [ "$SECURITY" != plaintext ] || return 0
  case "$TLS_CERT" in
    valid | expired | wrong-host) ;;
    *)
      say "KAFKA_LOCAL_TLS_CERT must be valid, expired or wrong-host, not $TLS_CERT"
      exit 2
      ;;
  esac
  ensure_tls
  [ "$SECURITY" = sasl_ssl ] || return 0
  valid_user_name "$SASL_USER"
  if [ -n "$(formatted_mode)" ]; then
    if [ ! -s "$TLS/admin.password" ]; then
      say "$TLS/admin.password is gone, and the nodes log in to each other with it:" \
        "delete $STATE (after stop) to start afresh"
      exit 2
    fi
    # Another KAFKA_LOCAL_SASL_USER than the home was formatted with: its SCRAM credentials are
    # made once the nodes run, and the marker says so until then, should this start fail.
    [ -s "$TLS/$SASL_USER.password" ] || touch "$TLS/$SASL_USER.pending"
  fi
  new_password "$TLS/admin.password"
  new_password "$TLS/$SASL_USER.password"
  [ ! -f "$TLS/$SASL_USER.pending" ] || NEW_CLIENT_USER=true
}

start() {
  prepare
  local n pids=()
  # All nodes at once: a node's controller waits for a majority of the quorum before it serves.
  for n in $(seq 1 "$NODES"); do pids+=("$(launch_node "$n")"); done
  say "started node PIDs ${pids[*]}, waiting for them to accept requests"
  for n in $(seq 1 "$NODES"); do wait_until_started "$n" "${pids[$((n - 1))]}"; done
  if $NEW_CLIENT_USER; then
    add_user "$SASL_USER" "$TLS/$SASL_USER.password"
    rm -f "$TLS/$SASL_USER.pending"
  fi
  say "ready after ${SECONDS}s"
  if [ "$SECURITY" = plaintext ]; then bootstrap_list; else client_env; fi
}

# NAME=VALUE, the value quoted for a shell only when it needs it (a path with a space).
assignment() {
  if [[ "$2" =~ ^[A-Za-z0-9_./:,@+=-]*$ ]]; then
    echo "$1=$2"
  else
    echo "$1=$(printf %q "$2")"
  fi
}

# One line, as `env $(scripts/kafka-local.sh client-env) npm start` takes it.
client_env() {
  check_mode
  local line=("$(assignment KAFKA_BROKER "$(bootstrap_list)")")
  if [ "$SECURITY" != plaintext ]; then
    if [ ! -s "$TLS/ca.crt" ]; then
      say "no TLS material in $TLS yet: run start first"
      exit 3
    fi
    line+=(KAFKA_SSL=true "$(assignment KAFKA_SSL_CA_FILE "$TLS/ca.crt")")
  fi
  case "$SECURITY" in
    sasl_ssl)
      valid_user_name "$SASL_USER"
      line+=(KAFKA_SASL_MECHANISM=scram-sha-512 "$(assignment KAFKA_SASL_USERNAME "$SASL_USER")"
        "$(assignment KAFKA_SASL_PASSWORD_FILE "$TLS/$SASL_USER.password")")
      ;;
    ssl)
      line+=("$(assignment KAFKA_SSL_CERT_FILE "$TLS/client.crt")"
        "$(assignment KAFKA_SSL_KEY_FILE "$TLS/client.key")")
      ;;
  esac
  echo "${line[*]}"
}

valid_user_name() {
  # Also a JAAS option's name (user_NAME) and a SCRAM name, which both take these as they are.
  if ! [[ "$1" =~ ^[A-Za-z0-9._-]+$ ]] || [ "$1" = admin ]; then
    say "a user name is letters, digits, '.', '_' and '-', and not admin: not '$1'"
    exit 2
  fi
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
      say "node $n running (PID $pid) on $NODE_HOST:$NODE_PORT"
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

# Kafka's command-line tools: a small JVM that starts fast and says only what goes wrong.
kafka_tool() {
  java -Xmx256m -XX:TieredStopAtLevel=1 -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp "$JARS/*" "$@"
}

# A client's properties for Kafka's tools: SASL_SSL as user $2 with password $3, trusting the CA.
# In file $1, mode 600.
client_properties() {
  (umask 077 && cat >"$1" <<PROPERTIES
security.protocol=SASL_SSL
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=$SCRAM_LOGIN username="$2" password="$3";
ssl.truststore.type=PEM
ssl.truststore.location=$TLS/ca.crt
PROPERTIES
  )
}

# ConfigCommand on the users, as admin, through any node.
user_config() {
  kafka_tool kafka.admin.ConfigCommand --bootstrap-server "$(bootstrap_list)" \
    --command-config "$TLS/admin.properties" --entity-type users "$@"
}

# The SCRAM mechanisms user $1 has, as the node that answers sees them: one a line.
scram_mechanisms() {
  local description
  description="$(user_config --describe --entity-name "$1")"
  echo "$description" | { grep -o 'SCRAM-SHA-[0-9]*=' || true; } | tr -d =
}

# The user commands need a running sasl_ssl home, and the admin's properties.
prepare_users() {
  if [ "$SECURITY" != sasl_ssl ]; then
    say "users are SCRAM users of KAFKA_LOCAL_SECURITY=sasl_ssl, not of $SECURITY"
    exit 2
  fi
  check_mode
  local n
  for n in $(seq 1 "$NODES"); do
    select_node "$n"
    if ! running_pid >/dev/null; then
      say "node $n is not running: start first"
      exit 3
    fi
  done
  client_properties "$TLS/admin.properties" admin "$(cat "$TLS/admin.password")"
}

# The password of file $1 as the service reads a secret's file: one trailing newline (\n or
# \r\n) is not part of it. Printable ASCII only, as ConfigCommand reads its file as ISO 8859-1,
# and without " or \, which would need escaping in a properties file and in JAAS's quotes.
password_of() {
  local password LC_ALL=C
  password="$(cat "$1" && echo x)"
  password="${password%x}"
  if [[ "$password" == *$'\n' ]]; then
    password="${password%$'\n'}"
    password="${password%$'\r'}"
  fi
  if ! [[ "$password" =~ ^[[:print:]]+$ ]] || [[ "$password" == *[\"\\]* ]]; then
    say "the password in $1 must be one line of printable ASCII without \" or \\"
    exit 2
  fi
  printf %s "$password"
}

# Gives user $1 SCRAM-SHA-512 and SCRAM-SHA-256 credentials of the password in file $2, one
# mechanism a request: KRaft's controller keys a request's changes by user name alone, and refuses
# a second change of one user as "A user credential cannot be altered twice in the same request".
# The password goes through a properties file (mode 600, removed after), as ConfigCommand prints
# its arguments when it fails. Returns once every node authenticates the user with it.
set_credentials() {
  local name="$1" password
  password="$(password_of "$2")"
  local changes="$TLS/user.properties" as_user="$TLS/user.client.properties" mechanism status=0
  for mechanism in SCRAM-SHA-512 SCRAM-SHA-256; do
    (umask 077 && printf '%s=password=%s\n' "$mechanism" "$password" >"$changes")
    user_config --alter --entity-name "$name" --add-config-file "$changes" >/dev/null || status=$?
    rm -f "$changes"
    ((status == 0)) || return "$status"
  done
  client_properties "$as_user" "$name" "$password"
  # The nodes at once: each JVM takes a second or so to start.
  local n pid pids=() failed=0
  for n in $(seq 1 "$NODES"); do
    until_authenticated "$n" "$as_user" "$name" &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
  rm -f "$as_user"
  ((failed == 0))
}

# Node $1 answers a describe of user $3 as the client of properties $2 once the node has the
# user's credentials: the node is the describe's bootstrap node, which the client logs in to first.
until_authenticated() {
  local n="$1" deadline=$((SECONDS + 30))
  select_node "$n"
  until kafka_tool kafka.admin.ConfigCommand --bootstrap-server "127.0.0.1:$NODE_PORT" \
    --command-config "$2" --entity-type users --describe --entity-name "$3" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      say "node $n does not authenticate $3 after 30s"
      return 1
    fi
    sleep 0.2
  done
}

add_user() {
  local name="$1" password_file="$2"
  valid_user_name "$name"
  if [ ! -r "$password_file" ]; then
    say "cannot read the password file $password_file"
    exit 2
  fi
  prepare_users
  set_credentials "$name" "$password_file"
  say "user $name has SCRAM-SHA-512 and SCRAM-SHA-256 credentials"
}

# User $1 can no longer log in with SCRAM: its credentials become those of a random password that
# is thrown away, rather than deleted. Kafka 4.1's brokers lose every credential of a mechanism,
# admin's too, when they replay a deletion at start-up (ScramDelta.apply drops the mechanism's map
# when the deleted user comes first in it, and keeps adding the others to the dropped map), so
# one deletion in the metadata log can lock the nodes out of each other at their next start.
delete_user() {
  local name="$1" mechanisms
  valid_user_name "$name"
  prepare_users
  mechanisms="$(scram_mechanisms "$name")"
  if [ -z "$mechanisms" ]; then
    say "user $name has no SCRAM credentials"
    return 0
  fi
  local unknown="$TLS/unknown.password" status=0
  rm -f "$unknown"
  new_password "$unknown"
  set_credentials "$name" "$unknown" || status=$?
  rm -f "$unknown"
  ((status == 0)) || return "$status"
  say "user $name can no longer log in with SCRAM (its password is replaced by an unknown one)"
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
  client-env) client_env ;;
  add-user)
    if [ $# -ne 3 ]; then
      echo "usage: $0 add-user NAME PASSWORD_FILE" >&2
      exit 2
    fi
    fetch_jars
    add_user "$2" "$3"
    ;;
  delete-user)
    if [ $# -ne 2 ]; then
      echo "usage: $0 delete-user NAME" >&2
      exit 2
    fi
    fetch_jars
    delete_user "$2"
    ;;
  logs) logs "${2:-100}" ;;
  start-node)
    n="$(node_number "${2:-}")"
    prepare
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
    echo "usage: $0 start|stop|status|brokers|client-env|logs [lines]|start-node N|stop-node N|kill-node N|pause-node N|resume-node N|pid-node N" >&2
    echo "       $0 add-user NAME PASSWORD_FILE|delete-user NAME (KAFKA_LOCAL_SECURITY=sasl_ssl)" >&2
    exit 2
    ;;
esac
