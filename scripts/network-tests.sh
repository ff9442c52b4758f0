#!/usr/bin/env bash
# The network fault tests (test/network): the hosts of scripts/kafka-netns.sh up, then mocha on
# the service's host, where the tests run the services under test and reach them over its
# loopback, so that a fault on the service's link hits its connections to Kafka and PostgreSQL
# only; then down, however the tests ended. Needs root. Arguments go to mocha (e.g. --grep).
#
# DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/test) names the PostgreSQL server;
# the tests reach it through the forwarder on the bridge, so that its connection can be cut.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

database="${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/test}"
# postgresql://[user[:password]@]host:port/rest: the forwarder goes to host:port, the tests to it.
if ! [[ "$database" =~ ^(postgres(ql)?://([^@/]*@)?)([^:/]+):([0-9]+)(/.*)$ ]]; then
  echo "network-tests: DATABASE_URL must name a host and a port: $database" >&2
  exit 2
fi
export KAFKA_NETNS_POSTGRES="${BASH_REMATCH[4]}:${BASH_REMATCH[5]}"
forwarded="${BASH_REMATCH[1]}${KAFKA_NETNS_NET:-10.77.0}.1:15432${BASH_REMATCH[6]}"

trap 'bash scripts/kafka-netns.sh down' EXIT
brokers="$(bash scripts/kafka-netns.sh up | tail -n 1)"
# Not exec: the trap takes the hosts down once mocha ends.
KAFKA_NETNS_BROKERS="$brokers" DATABASE_URL="$forwarded" \
  bash scripts/kafka-netns.sh exec-service npx mocha 'test/network/**/*.spec.ts' "$@"
