#!/usr/bin/env bash
# Runs Elasticsearch for the container test from the integ-test-zip (which carries x-pack
# security), configured like the official image: every variable whose name holds a dot is a
# setting (deploy/elasticsearch/elasticsearch.env), ELASTIC_PASSWORD becomes the elastic user's
# bootstrap password, and the certificates are read from config/certs.
set -euo pipefail

home=/opt/elasticsearch
export ES_PATH_CONF=/var/lib/es/config ES_TMPDIR=/tmp ES_JAVA_HOME="${ES_JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}"
export ES_JAVA_OPTS="${ES_JAVA_OPTS:--Xms512m -Xmx512m}"
rm -rf "$ES_PATH_CONF" && cp -r "$home/config" "$ES_PATH_CONF" && mkdir -p /var/lib/es/data /var/lib/es/logs
mkdir -p "$ES_PATH_CONF/certs" && cp /certs/ca.crt /certs/elasticsearch.crt /certs/elasticsearch.key "$ES_PATH_CONF/certs/"
"$home/bin/elasticsearch-keystore" create >/dev/null
printf '%s' "${ELASTIC_PASSWORD:?ELASTIC_PASSWORD is required}" | "$home/bin/elasticsearch-keystore" add -x -s bootstrap.password >/dev/null 2>&1 \
  || printf '%s' "$ELASTIC_PASSWORD" | "$home/bin/elasticsearch-keystore" add -x bootstrap.password >/dev/null
unset ELASTIC_PASSWORD

# The integ-test-zip lacks the analysis module the native realm's security index needs, so the
# test provisions the indexer in the file realm: PARAPET_FILE_ROLES holds roles.yml entries (the
# role printed by 'parapet elasticsearch role'), PARAPET_FILE_USERS "user:password:role" entries.
if [ -n "${PARAPET_FILE_ROLES:-}" ]; then
  printf '\n%s\n' "$PARAPET_FILE_ROLES" >> "$ES_PATH_CONF/roles.yml"
fi
read -r -a entries <<< "${PARAPET_FILE_USERS:-}"
for entry in "${entries[@]}"; do
  user="${entry%%:*}" role="${entry##*:}" password="${entry#*:}" && password="${password%:*}"
  "$home/bin/elasticsearch-users" useradd "$user" -p "$password" -r "$role" >/dev/null
done
unset PARAPET_FILE_ROLES PARAPET_FILE_USERS

# the test's disk may be fuller than Elasticsearch's watermarks like; production keeps them
settings=(-E network.host=0.0.0.0 -E path.data=/var/lib/es/data -E path.logs=/var/lib/es/logs
  -E cluster.routing.allocation.disk.threshold_enabled=false)
while IFS= read -r line; do
  name="${line%%=*}"
  case "$name" in *.*) settings+=(-E "$line") ;; esac
done < <(env)
exec "$home/bin/elasticsearch" "${settings[@]}"
