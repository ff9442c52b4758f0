#!/usr/bin/env bash
# Turns TLS on in the PostgreSQL server on this machine (the tests' local server) with a
# certificate of a CA of this project's own, so that the sslmode tests have something to verify;
# prints the CA's path (PEM) as its last line. Idempotent: a server already serving our
# certificate is left as it is, so runs side by side share one CA.
#
#   scripts/postgres-tls.sh    needs psql as a superuser of the server (trust auth here) and
#                              root, or the server's own user, to write beside its data folder
#
# Environment: DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/test). The certificate
# names 127.0.0.1 and localhost; the CA and the server's key stay beside the data folder, in
# user-events-tls/, readable by the server's user only (the CA's certificate by everyone).
set -euo pipefail

URL="${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/test}"
# Our parameters would override the URL's own sslmode; the set-up itself needs none.
query() { psql "$URL" -AtX -v ON_ERROR_STOP=1 -c "$1"; }
say() { echo "postgres-tls: $*" >&2; }

DATA="$(query 'SHOW data_directory')"
FOLDER="$(dirname "$DATA")/user-events-tls"
OWNER="$(stat -c %U "$DATA")"

if [ "$(query 'SHOW ssl')" = on ] && [ "$(query 'SHOW ssl_cert_file')" = "$FOLDER/server.crt" ] &&
  [ -s "$FOLDER/ca.crt" ]; then
  echo "$FOLDER/ca.crt"
  exit 0
fi

if [ ! -s "$FOLDER/server.crt" ]; then
  say "making a CA and a server certificate in $FOLDER"
  mkdir -p "$FOLDER"
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj '/CN=user-events-service test CA' \
    -keyout "$work/ca.key" -out "$work/ca.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj '/CN=localhost' \
    -keyout "$work/server.key" -out "$work/server.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$work/san.ext"
  openssl x509 -req -in "$work/server.csr" -CA "$work/ca.crt" -CAkey "$work/ca.key" \
    -CAcreateserial -days 3650 -extfile "$work/san.ext" -out "$work/server.crt" 2>/dev/null
  # The CA's key is not kept: nothing else is ever signed with it.
  install -m 644 "$work/ca.crt" "$FOLDER/ca.crt"
  install -m 644 "$work/server.crt" "$FOLDER/server.crt"
  install -m 600 "$work/server.key" "$FOLDER/server.key"
  chown -R "$OWNER" "$FOLDER"
fi

# ssl and its files take effect on a reload: connections open meanwhile are not dropped.
query "ALTER SYSTEM SET ssl_cert_file = '$FOLDER/server.crt'" >/dev/null
query "ALTER SYSTEM SET ssl_key_file = '$FOLDER/server.key'" >/dev/null
query "ALTER SYSTEM SET ssl = on" >/dev/null
query 'SELECT pg_reload_conf()' >/dev/null
for _ in $(seq 1 50); do
  [ "$(query 'SHOW ssl')" = on ] && break
  sleep 0.1
done
if [ "$(query 'SHOW ssl')" != on ]; then
  say "the server did not turn TLS on; its log says why"
  exit 1
fi
say "TLS on, with the certificate in $FOLDER"
echo "$FOLDER/ca.crt"
