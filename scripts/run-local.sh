#!/usr/bin/env bash
# Runs the service from a fresh clone against a real Kafka broker: installs what is missing,
# builds, and starts the project's local KRaft broker when no broker is configured (and stops it
# again on exit). Usage: npm run local   (or: bash scripts/run-local.sh)
set -euo pipefail
cd "$(dirname "$0")/.."

[ -d node_modules ] || npm ci --no-audit --no-fund
npm run build >&2

started_broker=false
stop_broker() { if $started_broker; then bash scripts/kafka-local.sh stop || true; fi; }
trap stop_broker EXIT

if [ -f .env ]; then set -a; . ./.env; set +a; fi
if [ "${EVENT_BUS:-kafka}" = kafka ] && [ -z "${KAFKA_BROKER:-}${KAFKA_BROKERS:-}" ]; then
  if ! bash scripts/kafka-local.sh status >/dev/null 2>&1; then started_broker=true; fi
  KAFKA_BROKER="$(bash scripts/kafka-local.sh start | tail -n 1)"
  export KAFKA_BROKER
  echo "Using the local Kafka broker at $KAFKA_BROKER" >&2
fi

# JSON lines, as in production; on a terminal they are made readable by pino-pretty (a dev tool),
# which ignores Ctrl-C so that it prints the service's last lines while it stops gracefully.
if [ -t 1 ] && [ -x node_modules/.bin/pino-pretty ]; then
  node dist/main.js | (trap '' INT TERM; exec node_modules/.bin/pino-pretty --colorize)
else
  node dist/main.js
fi
