#!/usr/bin/env bash
# Runs one of Kafka's tools ($1, then its arguments) against kafka-secured as its PLAIN user
# admin, for the `secured` profile's healthcheck and user creation: the password is read from
# /tls into a properties file of the tool's own, never put on a command line.
set -euo pipefail
properties="$(mktemp)"
trap 'rm -f "$properties"' EXIT
cat >"$properties" <<PROPERTIES
security.protocol=SASL_SSL
sasl.mechanism=PLAIN
sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="$(cat /tls/admin.password)";
ssl.truststore.type=PEM
ssl.truststore.location=/tls/ca.crt
PROPERTIES
tool="$1"
shift
"$tool" --bootstrap-server kafka-secured:9092 --command-config "$properties" "$@"
