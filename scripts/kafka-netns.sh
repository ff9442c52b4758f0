#!/usr/bin/env bash
# A Kafka cluster on hosts of its own, for network fault tests: each KRaft node of
# scripts/kafka-local.sh (which this runs, with KAFKA_LOCAL_HOSTS and KAFKA_LOCAL_NODE_EXEC) in a
# network namespace, another namespace for the service under test, all joined by a bridge in the
# root namespace; and the faults, each made on the hosts' own links and firewalls so that it
# hits only what it names, and each undone by its pair. Needs root (namespaces, links, nft).
#
#   scripts/kafka-netns.sh up       remove what a previous run left (namespaces, links, processes
#                                   by their recorded PIDs), make the network, start the PostgreSQL
#                                   forwarder and the nodes, wait until every node has started;
#                                   print the bootstrap list as the last line
#   scripts/kafka-netns.sh down     stop the nodes and every helper by PID, delete the namespaces,
#                                   links and bridge; idempotent, and fine after a crash or kill -9
#   scripts/kafka-netns.sh status   the hosts, nodes, forwarder and faults in force; exit 0 when
#                                   everything runs, 3 when not
#   scripts/kafka-netns.sh brokers  print the bootstrap list
#   scripts/kafka-netns.sh exec-service CMD...   run CMD in the service's namespace, in the
#                                   foreground, as this process (exec): its exit status and
#                                   signals are CMD's own; down ends it if it still runs
#   scripts/kafka-netns.sh exec HOST CMD...      the same in any host's namespace
#
# Faults, between hosts named service, kafka-1..kafka-N and postgres (the forwarder's port on the
# bridge, so that PostgreSQL's connection is cut while the server runs):
#   cut SRC DST / heal SRC DST     drop every packet between the two, both ways (nft in their
#                                  namespaces): other pairs still reach each other, established
#                                  connections included, so TCP sees silence, not a reset
#   isolate kafka-N                cut kafka-N from the service and from every other node; the
#                                  root namespace still reaches it (these commands, leader)
#   heal-all                       undo every fault: cuts, isolations, netem, flaps
#   netem HOST "SPEC"              tc netem SPEC (e.g. "delay 200ms loss 5%") on what HOST sends
#                                  on its link: a round trip grows by the delay once. Without the
#                                  netem qdisc in the kernel (this project's machines) a stand-in,
#                                  scripts/kafka/netem.py, does delay [jitter] and loss, on what
#                                  HOST sends but for TCP's delay, on what it receives (why: there)
#   netem-clear HOST               remove it
#   flap HOST PERIOD_S DURATION_S  in the foreground: HOST's link goes down, then up, every
#                                  PERIOD_S seconds for DURATION_S, and is up when it returns,
#                                  also when interrupted. The bridge's end goes down, as a cable
#                                  pulled at the switch: the host keeps its address and routes;
#                                  what is sent to it meanwhile is lost, what it sends waits for
#                                  ARP (Linux queues it for up to 3 s) and is lost past that
#   leader TOPIC PARTITION [FROM]  print the id of the node leading the partition (-1: none), as
#                                  host FROM (default service) learns it from the nodes it can
#                                  reach (scripts/kafka/partition-leader.ts, kafkajs): an isolated
#                                  node asked for its own view keeps naming itself
#
# Addresses (KAFKA_NETNS_NET=10.77.0 by default, a /24 of the 10.x range that must be free):
#   bridge uev-br0      10.77.0.1, the root namespace's; the forwarder listens on 10.77.0.1:15432
#                       and connects to KAFKA_NETNS_POSTGRES (default 127.0.0.1:5432)
#   kafka-N             namespace and link uev-kafka-N, 10.77.0.1N: client port 9092, controller
#                       9093, the quorum over the bridge
#   service             namespace and link uev-service, 10.77.0.20
# Inside a namespace the link is eth0 and there is no default route: nothing a host sends leaves
# the bridge, so a test there can only reach this machine's own hosts.
#
# A command run inside one of the hosts (the network tests run on the service's) acts from the
# namespace the bridge is in, which up names uev-root (a name only: down removes it).
#
# Environment: KAFKA_NETNS_HOME (state: the nodes' kafka-local home kafka/, PID files and logs of
# the forwarder and netem stand-ins; default .cache/kafka-netns; the nodes' data survives down,
# delete the folder after down to start afresh), KAFKA_NETNS_NODES (default 3), KAFKA_NETNS_NET,
# KAFKA_NETNS_POSTGRES; KAFKA_LOCAL_START_TIMEOUT_S, KAFKA_LOCAL_REBALANCE_DELAY_MS and
# KAFKA_VERSION go to kafka-local.sh. socat (the forwarder) is installed with apt-get when missing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${KAFKA_NETNS_HOME:-$ROOT/.cache/kafka-netns}"
NODES="${KAFKA_NETNS_NODES:-3}"
NET="${KAFKA_NETNS_NET:-10.77.0}"
POSTGRES="${KAFKA_NETNS_POSTGRES:-127.0.0.1:5432}"
BRIDGE=uev-br0
GATEWAY="$NET.1"
SERVICE_ADDRESS="$NET.20"
FORWARD_PORT=15432
KAFKA_PORT=9092
# The queue number of the netem stand-in: queues are per namespace, so one number serves all.
QUEUE=0

say() { echo "kafka-netns: $*" >&2; }
usage_error() {
  say "$*"
  exit 2
}

if ! [[ "$NODES" =~ ^[1-9]$ ]]; then usage_error "KAFKA_NETNS_NODES must be 1 to 9, not $NODES"; fi
OCTET='(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])'
if ! [[ "$NET" =~ ^10\.$OCTET\.$OCTET$ ]]; then
  usage_error "KAFKA_NETNS_NET must be the first three numbers of a 10.x.y.0/24, not $NET"
fi

# A command run inside one of the hosts (a test on the service's host makes its faults with these
# commands) runs in the namespace the bridge is in, where the bridge's ends of the links are.
netns_inode() { stat -L -c %i "$1" 2>/dev/null; }
if [ -e /run/netns/uev-root ] && [ "$(id -u)" = 0 ] &&
  [ "$(netns_inode /proc/self/ns/net)" != "$(netns_inode /run/netns/uev-root)" ]; then
  exec ip netns exec uev-root bash "${BASH_SOURCE[0]}" "$@"
fi

# --- Hosts: kafka-N, service (each a namespace with a link of the same name) and postgres (the
# forwarder in the root namespace).

kafka_hosts() { seq -f 'kafka-%g' 1 "$NODES"; }
namespace_hosts() {
  kafka_hosts
  echo service
}

valid_host() {
  case "$1" in
    service | postgres) return 0 ;;
    kafka-[1-9]) ((${1#kafka-} <= NODES)) ;;
    *) return 1 ;;
  esac
}

host_arg() {
  valid_host "${1:-}" ||
    usage_error "a host is service, postgres or kafka-1..kafka-$NODES, not '${1:-}'"
  echo "$1"
}

# A host that has a namespace and a link: not postgres.
linked_host_arg() {
  local host
  host="$(host_arg "${1:-}")"
  [ "$host" != postgres ] ||
    usage_error "postgres has no link of its own: it is the forwarder on the bridge" \
      "($GATEWAY:$FORWARD_PORT)"
  echo "$host"
}

namespace_of() { echo "uev-$1"; }

address_of() {
  case "$1" in
    service) echo "$SERVICE_ADDRESS" ;;
    postgres) echo "$GATEWAY" ;;
    kafka-*) echo "$NET.1${1#kafka-}" ;;
  esac
}

host_of_address() {
  local host
  for host in $(namespace_hosts); do
    if [ "$(address_of "$host")" = "$1" ]; then
      echo "$host"
      return 0
    fi
  done
  echo "$1"
}

in_host() {
  local host="$1"
  shift
  ip netns exec "$(namespace_of "$host")" "$@"
}

bootstrap_list() {
  local host list=()
  for host in $(kafka_hosts); do list+=("$(address_of "$host"):$KAFKA_PORT"); done
  (IFS=,; echo "${list[*]}")
}

# kafka-local.sh, its nodes on the namespaces' addresses. The one-node variables that would
# move a port are not passed on.
kafka_local() {
  env -u KAFKA_LOCAL_CONTROLLER_PORT -u KAFKA_LOCAL_ADVERTISED_PORT -u KAFKA_LOCAL_TLS_CERT \
    KAFKA_LOCAL_HOME="$STATE/kafka" KAFKA_LOCAL_NODES="$NODES" KAFKA_LOCAL_PORT="$KAFKA_PORT" \
    KAFKA_LOCAL_HOSTS="$(bootstrap_list | sed "s/:$KAFKA_PORT//g")" \
    KAFKA_LOCAL_NODE_EXEC="ip netns exec uev-kafka-{n}" KAFKA_LOCAL_SECURITY=plaintext \
    bash "$ROOT/scripts/kafka-local.sh" "$@"
}

# --- Processes, by their recorded PIDs.

# A zombie (a killed process its parent has not reaped) is not alive, though kill -0 succeeds.
alive_pid() { [ -r "/proc/$1/status" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status"; }

# The PID in file $1 when that process still runs and its command line holds $2: a PID reused
# by another process since is not ours to signal.
recorded_pid() {
  local pid
  [ -f "$1" ] || return 1
  pid="$(cat "$1")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  alive_pid "$pid" || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$2" || return 1
  echo "$pid"
}

# SIGTERM to the PID in file $1 (if it is still the process $2 names), then SIGKILL after $3
# seconds; removes the file.
stop_recorded() {
  local file="$1" pattern="$2" grace="${3:-5}" pid
  if pid="$(recorded_pid "$file" "$pattern")"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 $((grace * 10))); do
      alive_pid "$pid" || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

any_node_running() {
  local n pid
  for n in $(seq 1 "$NODES"); do
    [ -f "$STATE/kafka/node-$n/broker.pid" ] || continue
    pid="$(cat "$STATE/kafka/node-$n/broker.pid")"
    if alive_pid "$pid"; then return 0; fi
  done
  return 1
}

# --- The network.

# The hosts' namespaces; uev-root is the name of the namespace the bridge is in (see up).
our_namespaces() { ip netns list | awk '$1 ~ /^uev-/ && $1 != "uev-root" { print $1 }'; }
our_links() { ip -o link show | awk -F': ' '{ sub(/@.*/, "", $2); if ($2 ~ /^uev-/) print $2 }'; }
bridge_exists() { ip link show "$BRIDGE" >/dev/null 2>&1; }

# IPv6 off on our links: they would only send router solicitations onto the bridge.
no_ipv6() {
  local file="/proc/sys/net/ipv6/conf/$1/disable_ipv6"
  if [ -w "$file" ]; then echo 1 >"$file"; fi
}

make_bridge() {
  bridge_exists && return 0
  ip link add "$BRIDGE" type bridge
  no_ipv6 "$BRIDGE"
  ip addr add "$GATEWAY/24" dev "$BRIDGE"
  ip link set "$BRIDGE" up
}

# The faults' firewall of a host: a peer in set peers is cut (both hooks, so both directions),
# an address . port in set services (the forwarder's) is cut for TCP to and from that port.
FIREWALL='table inet uev {
  set peers { type ipv4_addr; }
  set services { type ipv4_addr . inet_service; }
  chain input {
    type filter hook input priority filter - 10; policy accept;
    ip saddr @peers drop
    ip saddr . tcp sport @services drop
  }
  chain output {
    type filter hook output priority filter - 10; policy accept;
    ip daddr @peers drop
    ip daddr . tcp dport @services drop
  }
}'

make_host() {
  local host="$1" namespace
  namespace="$(namespace_of "$host")"
  ip netns add "$namespace"
  # The peer is made inside the namespace at once: nothing named eth0 appears in the root one.
  ip link add "$namespace" type veth peer name eth0 netns "$namespace"
  no_ipv6 "$namespace"
  ip link set "$namespace" master "$BRIDGE" up
  in_host "$host" sh -c 'echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6' 2>/dev/null || true
  ip -n "$namespace" link set lo up
  ip -n "$namespace" addr add "$(address_of "$host")/24" dev eth0
  ip -n "$namespace" link set eth0 up
  echo "$FIREWALL" | in_host "$host" nft -f -
}

# The /24 must be ours alone: an address or route of it elsewhere would be another network's.
check_net_free() {
  local taken
  taken="$(ip -4 -o addr show | awk -v net="$NET." '$2 !~ /^uev-/ && index($4, net) == 1')"
  if [ -z "$taken" ]; then taken="$(ip -4 route show root "$NET.0/24")"; fi
  if [ -n "$taken" ]; then
    say "$NET.0/24 is in use on this machine ($taken): choose another KAFKA_NETNS_NET"
    exit 2
  fi
}

# --- The forwarder: PostgreSQL listens on 127.0.0.1 only, and the service's namespace has its own
# loopback. In its own session, so that its children (one a connection) go with it.

forwarder_pattern() { echo "TCP-LISTEN:$FORWARD_PORT,bind=$GATEWAY"; }

start_forwarder() {
  if ! command -v socat >/dev/null; then
    say "installing socat (the PostgreSQL forwarder) with apt-get"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq socat) >&2
  fi
  # nohup and setsid exec socat (setsid forks only when it leads a group, which a job of a
  # script does not), so $! is socat's PID and its group's.
  nohup setsid socat "$(forwarder_pattern),reuseaddr,fork,backlog=128" "TCP:$POSTGRES" \
    </dev/null >"$STATE/forwarder.log" 2>&1 &
  echo $! >"$STATE/forwarder.pid"
  local deadline=$((SECONDS + 10))
  # Watched with ss rather than a connection, which the forwarder would pass on to PostgreSQL.
  until [ -n "$(ss -Hltn "src $GATEWAY:$FORWARD_PORT")" ]; do
    if ! recorded_pid "$STATE/forwarder.pid" socat >/dev/null || ((SECONDS >= deadline)); then
      say "the forwarder did not start:"
      cat "$STATE/forwarder.log" >&2
      return 1
    fi
    sleep 0.1
  done
}

stop_forwarder() {
  local pid
  if pid="$(recorded_pid "$STATE/forwarder.pid" "$(forwarder_pattern)")"; then
    kill -TERM -- "-$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      alive_pid "$pid" || break
      sleep 0.1
    done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$STATE/forwarder.pid"
}

# --- Faults.

nft_in() {
  local host="$1"
  shift
  in_host "$host" nft "$@"
}

# $1 add|delete, $2 host, $3 set, $4 element: delete only what is there (nft refuses the rest).
set_element() {
  local op="$1" host="$2" set="$3" element="$4"
  if [ "$op" = delete ]; then
    nft_in "$host" get element inet uev "$set" "{ $element }" >/dev/null 2>&1 || return 0
  fi
  nft_in "$host" "$op" element inet uev "$set" "{ $element }"
}

# $1 add|delete between hosts $2 and $3.
cut_pair() {
  local op="$1" a="$2" b="$3"
  [ "$a" != "$b" ] || usage_error "a host is not cut from itself"
  if [ "$a" = postgres ] || [ "$b" = postgres ]; then
    local other="$a"
    [ "$other" != postgres ] || other="$b"
    set_element "$op" "$other" services "$GATEWAY . $FORWARD_PORT"
  else
    set_element "$op" "$a" peers "$(address_of "$b")"
    set_element "$op" "$b" peers "$(address_of "$a")"
  fi
}

# The elements of set $2 of host $1, one a line.
set_elements() {
  nft_in "$1" list set inet uev "$2" 2>/dev/null |
    sed -n '/elements = {/,/}/p' | sed 's/.*elements = {//; s/}.*//' | tr ',' '\n' |
    sed 's/^[[:space:]]*//; s/[[:space:]]*$//' | grep -v '^$' || true
}

# The cuts in force, one "A B" a line.
cuts() {
  local host peer
  for host in $(namespace_hosts); do
    [ -e "/run/netns/$(namespace_of "$host")" ] || continue
    for peer in $(set_elements "$host" peers); do
      peer="$(host_of_address "$peer")"
      # Each namespace pair is in both hosts' sets: named once.
      if [[ "$host" < "$peer" ]]; then echo "$host $peer"; fi
    done
    if [ -n "$(set_elements "$host" services)" ]; then echo "$host postgres"; fi
  done
}

isolate() {
  local node="$1" other
  [[ "$node" == kafka-* ]] || usage_error "isolate takes a node, kafka-1..kafka-$NODES"
  for other in $(namespace_hosts); do
    [ "$other" = "$node" ] || cut_pair add "$node" "$other"
  done
  say "isolated $node from the service and the other nodes"
}

netem_pattern() { echo "scripts/kafka/netem.py $QUEUE"; }

# The stand-in's rule in chain $1 of the mangle table: PREROUTING the TCP the host receives,
# POSTROUTING all it sends. --queue-bypass lets packets through whenever it is not running.
netem_rule() {
  case "$1" in
    PREROUTING) echo PREROUTING -i eth0 -p tcp ;;
    POSTROUTING) echo POSTROUTING -o eth0 ;;
  esac
  echo -j NFQUEUE --queue-num "$QUEUE" --queue-bypass
}

netem() {
  local host="$1" spec=() output
  shift
  read -ra spec <<<"$*"
  ((${#spec[@]} > 0)) || usage_error "usage: $0 netem HOST \"SPEC\" (e.g. \"delay 200ms loss 5%\")"
  netem_clear "$host" 2>/dev/null
  if output="$(in_host "$host" tc qdisc replace dev eth0 root netem "${spec[@]}" 2>&1)"; then
    say "netem ${spec[*]} on $host's link (tc)"
    return 0
  fi
  if ! [[ "$output" == *"qdisc kind is unknown"* ]]; then
    say "tc refused netem ${spec[*]}: $output"
    exit 2
  fi
  # The kernel has no netem: the stand-in, given packets by rules on eth0 once it is bound to
  # their queue. It names the chains it needs on its ready line.
  local pid_file="$STATE/netem-$host.pid" log="$STATE/netem-$host.log" chain
  nohup ip netns exec "$(namespace_of "$host")" python3 "$ROOT/scripts/kafka/netem.py" "$QUEUE" \
    "${spec[@]}" </dev/null >"$log" 2>&1 &
  echo $! >"$pid_file"
  local deadline=$((SECONDS + 10))
  until grep -q '^ready' "$log"; do
    if ! recorded_pid "$pid_file" "$(netem_pattern)" >/dev/null || ((SECONDS >= deadline)); then
      cat "$log" >&2
      stop_recorded "$pid_file" "$(netem_pattern)"
      exit 2
    fi
    sleep 0.1
  done
  local chains=()
  read -ra chains <<<"$(sed -n 's/^ready//p' "$log")"
  for chain in "${chains[@]}"; do
    # shellcheck disable=SC2046 # the rule's words
    in_host "$host" iptables -w -t mangle -A $(netem_rule "$chain")
  done
  say "netem ${spec[*]} on $host's link (scripts/kafka/netem.py, as the kernel has no netem" \
    "qdisc: TCP's delay on what $host receives, the rest on what it sends)"
}

netem_clear() {
  local host="$1"
  if in_host "$host" tc qdisc show dev eth0 2>/dev/null | grep -q netem; then
    in_host "$host" tc qdisc del dev eth0 root
  fi
  # The rules first: the stand-in then lets go of what it holds as it stops. The namespace's
  # mangle table holds nothing else.
  if in_host "$host" iptables -w -t mangle -S 2>/dev/null | grep -q NFQUEUE; then
    in_host "$host" iptables -w -t mangle -F PREROUTING
    in_host "$host" iptables -w -t mangle -F POSTROUTING
  fi
  stop_recorded "$STATE/netem-$host.pid" "$(netem_pattern)"
  say "no netem on $host's link"
}

# The netem in force on host $1, if any.
netem_of() {
  local qdisc
  qdisc="$(in_host "$1" tc qdisc show dev eth0 2>/dev/null | grep netem || true)"
  if [ -n "$qdisc" ]; then
    echo "${qdisc#*netem}"
  elif recorded_pid "$STATE/netem-$1.pid" "$(netem_pattern)" >/dev/null; then
    tr '\0' ' ' <"/proc/$(cat "$STATE/netem-$1.pid")/cmdline" |
      sed "s:.*$(netem_pattern) ::; s/ *$//"
  fi
}

now_ms() { date +%s%3N; }

# The flapping host and its sleep, for the trap that ends a flap however it ends.
FLAP_HOST="" FLAP_SLEEP=""

flap_over() {
  if [ -n "$FLAP_SLEEP" ]; then kill "$FLAP_SLEEP" 2>/dev/null || true; fi
  ip link set "$(namespace_of "$FLAP_HOST")" up 2>/dev/null || true
  rm -f "$STATE/flap-$FLAP_HOST.pid"
  say "$FLAP_HOST link up (flap over)"
}

flap() {
  local host="$1" period="$2" duration="$3" link
  link="$(namespace_of "$host")"
  if ! [[ "$period" =~ ^[1-9][0-9]*$ ]] || ! [[ "$duration" =~ ^[1-9][0-9]*$ ]]; then
    usage_error "usage: $0 flap HOST PERIOD_S DURATION_S (whole seconds, at least 1)"
  fi
  stop_recorded "$STATE/flap-$host.pid" "flap $host"
  echo $$ >"$STATE/flap-$host.pid"
  # However it ends (DURATION over, SIGINT, SIGTERM from heal-all or down), the link is up.
  FLAP_HOST="$host"
  trap flap_over EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  local start end next state=up wait_ms
  start="$(now_ms)"
  end=$((start + duration * 1000))
  next="$start"
  # Deadlines from the start, so that the sleeps' overhead does not add up.
  while ((next < end)); do
    if [ "$state" = up ]; then state=down; else state=up; fi
    ip link set "$link" "$state"
    say "$host link $state"
    next=$((next + period * 1000))
    ((next < end)) || next="$end"
    wait_ms=$((next - $(now_ms)))
    # In the background, waited for: a signal's trap then runs at once, not after the sleep.
    if ((wait_ms > 0)); then
      sleep "$((wait_ms / 1000)).$(printf %03d $((wait_ms % 1000)))" &
      FLAP_SLEEP=$!
      wait "$FLAP_SLEEP"
      FLAP_SLEEP=""
    fi
  done
}

stop_flaps() {
  local host
  for host in $(namespace_hosts); do stop_recorded "$STATE/flap-$host.pid" "flap $host"; done
}

heal_all() {
  local host
  stop_flaps
  for host in $(namespace_hosts); do
    [ -e "/run/netns/$(namespace_of "$host")" ] || continue
    nft_in "$host" flush set inet uev peers 2>/dev/null || true
    nft_in "$host" flush set inet uev services 2>/dev/null || true
    netem_clear "$host" 2>/dev/null || true
    ip link set "$(namespace_of "$host")" up 2>/dev/null || true
  done
  say "healed: no cut, netem or flap in force"
}

leader() {
  local topic="$1" partition="$2" from="$3" node reachable=() cut_from
  cut_from="$(set_elements "$from" peers)"
  for node in $(kafka_hosts); do
    if ! grep -qxF "$(address_of "$node")" <<<"$cut_from"; then
      reachable+=("$(address_of "$node"):$KAFKA_PORT")
    fi
  done
  if ((${#reachable[@]} == 0)); then
    say "$from is cut from every node"
    exit 3
  fi
  # From the project's folder, where ts-node finds tsconfig.json and node_modules.
  cd "$ROOT"
  in_host "$from" node -r ts-node/register/transpile-only scripts/kafka/partition-leader.ts \
    "$(IFS=,; echo "${reachable[*]}")" "$topic" "$partition"
}

# --- up, down, status.

# Everything of a previous run, in an order that works from any state it may have been left in.
teardown() {
  local host pid namespace link
  stop_flaps
  for host in $(namespace_hosts); do
    stop_recorded "$STATE/netem-$host.pid" "$(netem_pattern)"
  done
  if any_node_running; then
    # kafka-local.sh probes the nodes' addresses while they stop: the bridge keeps that on this
    # machine (without it the default route would take them), and without faults the nodes
    # shut down in a few seconds rather than after a timeout.
    make_bridge
    for host in $(namespace_hosts); do
      [ -e "/run/netns/$(namespace_of "$host")" ] || continue
      nft_in "$host" flush set inet uev peers 2>/dev/null || true
      nft_in "$host" flush set inet uev services 2>/dev/null || true
      ip link set "$(namespace_of "$host")" up 2>/dev/null || true
    done
    kafka_local stop
  fi
  stop_forwarder
  # What still runs in a namespace (a service started with exec-service, a stray tool) would
  # keep it and its link alive after the name is gone.
  for namespace in $(our_namespaces); do
    for pid in $(ip netns pids "$namespace"); do kill -TERM "$pid" 2>/dev/null || true; done
  done
  for _ in $(seq 1 50); do
    [ -z "$(for namespace in $(our_namespaces); do ip netns pids "$namespace"; done)" ] && break
    sleep 0.1
  done
  for namespace in $(our_namespaces); do
    for pid in $(ip netns pids "$namespace"); do
      say "killing PID $pid, still in $namespace"
      kill -KILL "$pid" 2>/dev/null || true
    done
    ip netns delete "$namespace"
  done
  # Deleting a namespace deletes its veth end and so the pair; the bridge and any veth whose
  # namespace went another way remain.
  for link in $(our_links); do ip link delete "$link" 2>/dev/null || true; done
  # Only the name: the namespace itself is this machine's.
  if [ -e /run/netns/uev-root ]; then ip netns delete uev-root; fi
}

require_root() {
  if [ "$(id -u)" != 0 ]; then
    say "needs root: it makes network namespaces, links and firewall rules"
    exit 2
  fi
}

UP_DONE=false

# A failed or interrupted up leaves nothing up (the logs stay in $STATE).
up_over() {
  $UP_DONE && return 0
  say "up failed, removing what it made (logs in $STATE)"
  teardown
}

up() {
  require_root
  local started=$SECONDS host bootstrap
  mkdir -p "$STATE"
  teardown
  check_net_free
  trap up_over EXIT
  make_bridge
  # A name for the namespace the bridge is in, so that a command run inside a host finds it.
  ip netns attach uev-root $$
  for host in $(namespace_hosts); do make_host "$host"; done
  start_forwarder
  bootstrap="$(kafka_local start | tail -n 1)"
  UP_DONE=true
  say "up after $((SECONDS - started))s: nodes $bootstrap, service $SERVICE_ADDRESS," \
    "PostgreSQL at $GATEWAY:$FORWARD_PORT"
  echo "$bootstrap"
}

down() {
  require_root
  local started=$SECONDS
  mkdir -p "$STATE"
  teardown
  say "down after $((SECONDS - started))s"
}

status() {
  local host down=0 namespace state pid fault
  if bridge_exists; then
    say "bridge $BRIDGE $GATEWAY/24"
  else
    say "no bridge $BRIDGE: down"
    down=1
  fi
  for host in $(namespace_hosts); do
    namespace="$(namespace_of "$host")"
    if [ -e "/run/netns/$namespace" ] && ip link show "$namespace" >/dev/null 2>&1; then
      state=down
      if ip -o link show "$namespace" | grep -q '[<,]UP[,>]'; then state=up; fi
      say "$host $(address_of "$host") in $namespace, link $state"
    else
      say "$host: no namespace or link $namespace"
      down=1
    fi
  done
  if pid="$(recorded_pid "$STATE/forwarder.pid" "$(forwarder_pattern)")"; then
    say "postgres $GATEWAY:$FORWARD_PORT -> $POSTGRES (forwarder PID $pid)"
  else
    say "postgres: the forwarder is not running"
    down=1
  fi
  kafka_local status || down=1
  if bridge_exists; then
    while read -r fault; do [ -z "$fault" ] || say "fault: cut $fault"; done <<<"$(cuts)"
    for host in $(namespace_hosts); do
      [ -e "/run/netns/$(namespace_of "$host")" ] || continue
      fault="$(netem_of "$host")"
      [ -z "$fault" ] || say "fault: netem $host $fault"
      if pid="$(recorded_pid "$STATE/flap-$host.pid" "flap $host")"; then
        say "fault: flap $host (PID $pid)"
      fi
    done
  fi
  ((down == 0)) || exit 3
}

# The network must be up for a fault or a command in a host.
require_up() {
  require_root
  if ! bridge_exists || [ ! -e "/run/netns/uev-service" ]; then
    say "the hosts are not up: run $0 up"
    exit 3
  fi
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  brokers) bootstrap_list ;;
  exec-service)
    shift
    (($# > 0)) || usage_error "usage: $0 exec-service CMD..."
    require_up
    exec ip netns exec uev-service "$@"
    ;;
  exec)
    host="$(linked_host_arg "${2:-}")"
    shift 2
    (($# > 0)) || usage_error "usage: $0 exec HOST CMD..."
    require_up
    exec ip netns exec "$(namespace_of "$host")" "$@"
    ;;
  cut | heal)
    (($# == 3)) || usage_error "usage: $0 $1 SRC DST"
    require_up
    a="$(host_arg "$2")"
    b="$(host_arg "$3")"
    if [ "$1" = cut ]; then
      cut_pair add "$a" "$b"
      say "cut $a from $b"
    else
      cut_pair delete "$a" "$b"
      say "healed $a - $b"
    fi
    ;;
  isolate)
    (($# == 2)) || usage_error "usage: $0 isolate kafka-N"
    require_up
    host="$(host_arg "$2")"
    isolate "$host"
    ;;
  heal-all)
    require_up
    heal_all
    ;;
  netem)
    (($# >= 3)) || usage_error "usage: $0 netem HOST \"SPEC\" (e.g. \"delay 200ms loss 5%\")"
    require_up
    host="$(linked_host_arg "$2")"
    shift 2
    netem "$host" "$@"
    ;;
  netem-clear)
    (($# == 2)) || usage_error "usage: $0 netem-clear HOST"
    require_up
    host="$(linked_host_arg "$2")"
    netem_clear "$host"
    ;;
  flap)
    (($# == 4)) || usage_error "usage: $0 flap HOST PERIOD_S DURATION_S"
    require_up
    host="$(linked_host_arg "$2")"
    flap "$host" "$3" "$4"
    ;;
  leader)
    (($# == 3 || $# == 4)) || usage_error "usage: $0 leader TOPIC PARTITION [FROM]"
    require_up
    host="$(linked_host_arg "${4:-service}")"
    leader "$2" "$3" "$host"
    ;;
  *)
    echo "usage: $0 up|down|status|brokers|exec-service CMD...|exec HOST CMD..." >&2
    echo "       $0 cut SRC DST|heal SRC DST|isolate kafka-N|heal-all" >&2
    echo "       $0 netem HOST \"SPEC\"|netem-clear HOST|flap HOST PERIOD_S DURATION_S" >&2
    echo "       $0 leader TOPIC PARTITION [FROM]" >&2
    exit 2
    ;;
esac
