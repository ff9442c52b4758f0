#!/usr/bin/env bash
# Installs the Debian packages that @confluentinc/kafka-javascript (KAFKA_CLIENT=librdkafka) is
# built against with CKJS_LINKING=dynamic, where any is missing. Needs root and Debian's packages.
set -euo pipefail
PACKAGES=(libssl-dev libsasl2-dev libzstd-dev liblz4-dev libcurl4-openssl-dev zlib1g-dev)
missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' ||
    missing+=("$package")
done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "librdkafka-libraries: all present" >&2
  exit 0
fi
echo "librdkafka-libraries: installing ${missing[*]}" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" </dev/null >/dev/null
