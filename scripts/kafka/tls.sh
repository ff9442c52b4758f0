# shellcheck shell=bash
# Sourced by scripts/kafka-local.sh, for KAFKA_LOCAL_SECURITY=ssl and sasl_ssl: the TLS material
# of the nodes and of their clients, made once under $TLS (the home's tls/) with openssl (keys,
# requests, the CA, PKCS12) and keytool (signing: its -startdate takes a date relative to now on
# Linux and macOS alike, where OpenSSL 3.0's x509 cannot date a certificate in the past):
#
#   ca.crt, ca.key           the CA, PEM (ca.p12 holds both for keytool)
#   broker.p12               the nodes' keystore: a key, its certificate for IP:127.0.0.1 and
#                            DNS:localhost, and the CA; every node presents it, each is 127.0.0.1
#   broker-expired.p12       the same names, but a validity that ended two days ago
#   broker-wrong-host.p12    valid, but for DNS:wrong-host.invalid only
#   truststore.p12           the CA, which the nodes trust: for each other and for clients
#   client.crt, client.key   a client certificate (CN=$SASL_USER) and its key, PEM, the key PKCS8
#                            and unencrypted
#   store.password           the password of every .p12
#
# A password file holds the password alone, without a newline. Every file here is mode 600.

# Runs a command without its chatter (openssl's progress dots, keytool's notes), which is shown
# when the command fails.
quietly() {
  local output status=0
  output="$("$@" 2>&1)" || status=$?
  ((status == 0)) || printf '%s\n' "$output" >&2
  return "$status"
}

# A random password in file $1, unless it has one.
new_password() {
  [ -s "$1" ] && return 0
  (umask 077 && openssl rand -hex 16 | tr -d '\n' >"$1.new" && mv "$1.new" "$1")
}

# A key $2.key (PEM, PKCS8, unencrypted) in folder $1, and a request $2.csr for subject $3.
new_key_and_request() {
  local dir="$1" name="$2" subject="$3"
  quietly openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$dir/$name.key"
  quietly openssl req -new -key "$dir/$name.key" -subj "$subject" -out "$dir/$name.csr"
}

# The CA signs request $2.csr into $2.crt (PEM), valid from $3 (keytool's -startdate: -1d is
# yesterday, so that a client's clock a little behind does not matter) for $4 days; then
# keytool -ext values.
sign_certificate() {
  local dir="$1" name="$2" start="$3" days="$4" extension extensions=()
  shift 4
  for extension in "$@"; do extensions+=(-ext "$extension"); done
  quietly keytool -gencert -rfc -keystore "$dir/ca.p12" -storetype PKCS12 \
    -storepass:file "$dir/store.password" -alias ca -infile "$dir/$name.csr" \
    -outfile "$dir/$name.crt" -startdate "$start" -validity "$days" "${extensions[@]}"
  rm -f "$dir/$name.csr"
}

# A nodes' keystore $2.p12 whose certificate names $3 (keytool's SAN syntax), valid from $4 for
# $5 days. Its key and certificate are kept only inside it.
broker_keystore() {
  local dir="$1" name="$2" names="$3" start="$4" days="$5"
  new_key_and_request "$dir" "$name" "/CN=kafka-local broker"
  # clientAuth too: a node presents it to another.
  sign_certificate "$dir" "$name" "$start" "$days" "SAN=$names" "EKU=serverAuth,clientAuth" \
    "KU:critical=digitalSignature,keyEncipherment"
  openssl pkcs12 -export -in "$dir/$name.crt" -inkey "$dir/$name.key" -certfile "$dir/ca.crt" \
    -name broker -out "$dir/$name.p12" -passout "file:$dir/store.password"
  rm -f "$dir/$name.crt" "$dir/$name.key"
}

# All of it at once, in a folder renamed to $TLS at the end: an interrupted run leaves no
# half-made material behind, and the next start makes it afresh.
ensure_tls() {
  [ -s "$TLS/truststore.p12" ] && return 0
  if [ -e "$TLS" ]; then
    say "$TLS lacks truststore.p12: delete $STATE (after stop) to start afresh"
    return 1
  fi
  local dir="$TLS.new"
  say "making a CA, the nodes' certificates and a client certificate in $TLS"
  rm -rf "$dir"
  (umask 077 && mkdir -p "$dir")
  new_password "$dir/store.password"
  quietly openssl req -x509 -newkey rsa:2048 -nodes -keyout "$dir/ca.key" -out "$dir/ca.crt" \
    -days 3650 -subj "/CN=kafka-local CA" -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign"
  openssl pkcs12 -export -in "$dir/ca.crt" -inkey "$dir/ca.key" -name ca -out "$dir/ca.p12" \
    -passout "file:$dir/store.password"
  quietly keytool -importcert -noprompt -alias ca -file "$dir/ca.crt" \
    -keystore "$dir/truststore.p12" -storetype PKCS12 -storepass:file "$dir/store.password"
  broker_keystore "$dir" broker "IP:127.0.0.1,DNS:localhost" -1d 3650
  broker_keystore "$dir" broker-expired "IP:127.0.0.1,DNS:localhost" -3d 1
  broker_keystore "$dir" broker-wrong-host "DNS:wrong-host.invalid" -1d 3650
  new_key_and_request "$dir" client "/CN=$SASL_USER"
  sign_certificate "$dir" client -1d 3650 "EKU=clientAuth" \
    "KU:critical=digitalSignature,keyEncipherment"
  chmod 600 "$dir"/*
  mv "$dir" "$TLS"
}
