#!/usr/bin/env bash
# Creates the TLS material for a first run of the compose stack: a private CA, certificates for the
# Kafka broker, Elasticsearch and Kibana, and a client certificate for the setup job's admin.
#
#   deploy/tls/make-certs.sh [OUT_DIR]      (default: deploy/tls/out, ignored by git)
#
# Keys are EC P-256, certificates last 825 days (renew with this script; see docs/OPERATIONS.md
# for rotation). Existing files are never overwritten: delete OUT_DIR to start over. Private keys
# are readable only by the uid of the container that uses them (run as root to set owners; the
# uids are KAFKA_UID, ES_UID, KIBANA_UID and PARAPET_UID, defaulting to the images' users).
set -euo pipefail

out="${1:-$(cd "$(dirname "$0")" && pwd)/out}"
days="${CERT_DAYS:-825}"
kafka_uid="${KAFKA_UID:-1000}"
es_uid="${ES_UID:-1000}"
kibana_uid="${KIBANA_UID:-1000}"
parapet_uid="${PARAPET_UID:-10001}"
command -v openssl >/dev/null || { echo "make-certs: openssl is required" >&2; exit 1; }

if [ -e "$out/ca.crt" ]; then
  echo "make-certs: $out already holds certificates; delete it to make new ones" >&2
  exit 1
fi
mkdir -p "$out"
chmod 0755 "$out"
umask 077
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

openssl ecparam -name prime256v1 -genkey -noout -out "$tmp/ca.key"
openssl req -x509 -new -key "$tmp/ca.key" -sha256 -days "$days" -subj "/CN=Parapet local CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out "$out/ca.crt"

# issue NAME CN EXTENDED_USAGE SUBJECT_ALT_NAMES
issue() {
  local name="$1" cn="$2" usage="$3" san="$4"
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$out/$name.key"
  openssl req -new -key "$out/$name.key" -subj "/CN=$cn" -out "$tmp/$name.csr"
  {
    echo "basicConstraints=critical,CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=$usage"
    [ -n "$san" ] && echo "subjectAltName=$san"
  } > "$tmp/$name.ext"
  openssl x509 -req -in "$tmp/$name.csr" -CA "$out/ca.crt" -CAkey "$tmp/ca.key" -CAserial "$tmp/ca.srl" -CAcreateserial \
    -days "$days" -sha256 -extfile "$tmp/$name.ext" -out "$out/$name.crt" 2>/dev/null
  # Kafka reads one PEM file: an unencrypted PKCS#8 key followed by the certificate chain
  cat "$out/$name.key" "$out/$name.crt" "$out/ca.crt" > "$out/$name.pem"
}

issue kafka kafka "serverAuth,clientAuth" "DNS:kafka,DNS:localhost,IP:127.0.0.1"
issue elasticsearch elasticsearch "serverAuth" "DNS:elasticsearch,DNS:localhost,IP:127.0.0.1"
issue kibana kibana "serverAuth" "DNS:kibana,DNS:localhost,IP:127.0.0.1"
issue parapet-admin parapet-admin "clientAuth" ""

chmod 0644 "$out"/*.crt
chmod 0600 "$out"/*.key "$out"/*.pem
if [ "$(id -u)" = 0 ]; then
  chown "$kafka_uid" "$out/kafka.key" "$out/kafka.pem"
  chown "$es_uid" "$out/elasticsearch.key" "$out/elasticsearch.pem"
  chown "$kibana_uid" "$out/kibana.key" "$out/kibana.pem"
  chown "$parapet_uid" "$out/parapet-admin.key" "$out/parapet-admin.pem"
else
  echo "make-certs: not root, so the keys belong to $(id -un); give each to its container's uid (see the header)" >&2
fi
echo "make-certs: CA and certificates in $out (the CA key was not kept: issue new certificates with a new CA)"
