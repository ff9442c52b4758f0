#!/usr/bin/env bash
# The TLS material and passwords of docker-compose's `secured` profile, made once into the
# volume mounted at /tls (the profile's first service runs it in the apache/kafka image, whose JRE
# brings keytool; no openssl there):
#
#   ca.crt                 the CA, PEM: what a client trusts (KAFKA_SSL_CA_FILE)
#   broker.p12             the broker's key and certificate, for DNS:kafka-secured and localhost
#   truststore.p12         the CA, for the broker
#   secrets.properties     the passwords of the stores and of the admin, for the broker's file
#                          config provider
#   admin.password, service.password    one password each, alone in its file
set -euo pipefail
cd /tls
if [ -s broker.p12 ]; then
  echo "secured-kafka-tls: /tls is made already"
  exit 0
fi
rm -f ./*
password() { head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
password >store.password
password >admin.password
password >service.password
store=(-storetype PKCS12 -storepass:file store.password)

keytool -genkeypair -alias ca -dname 'CN=user-events-service compose CA' -ext bc:c -keyalg RSA \
  -keysize 2048 -validity 3650 -keystore ca.p12 "${store[@]}"
keytool -exportcert -rfc -alias ca -keystore ca.p12 "${store[@]}" -file ca.crt
keytool -genkeypair -alias broker -dname 'CN=kafka-secured' -keyalg RSA -keysize 2048 \
  -validity 3650 -keystore broker.p12 "${store[@]}"
keytool -certreq -alias broker -keystore broker.p12 "${store[@]}" -file broker.csr
keytool -gencert -rfc -alias ca -keystore ca.p12 "${store[@]}" -infile broker.csr \
  -outfile broker.crt -validity 3650 -ext SAN=DNS:kafka-secured,DNS:localhost
keytool -importcert -noprompt -alias ca -file ca.crt -keystore broker.p12 "${store[@]}"
keytool -importcert -alias broker -file broker.crt -keystore broker.p12 "${store[@]}"
keytool -importcert -noprompt -alias ca -file ca.crt -keystore truststore.p12 "${store[@]}"
rm -f broker.csr broker.crt ca.p12

{
  echo "store.password=$(cat store.password)"
  echo "admin.password=$(cat admin.password)"
} >secrets.properties
# The broker runs as appuser and the service as node, both uid 1000: theirs to read, nobody
# else's; the CA's certificate is public.
chown 1000:1000 ./*
chmod 600 ./*
chmod 644 ca.crt
echo "secured-kafka-tls: made the CA, the broker's certificate and the passwords in /tls"
