#!/usr/bin/env bash
# Runs a KRaft broker for the container test from the Kafka jars the build already has (the cli
# image's /app/lib), configured like the apache/kafka image: every KAFKA_FOO_BAR variable becomes
# foo.bar ('__' becomes '_', '___' becomes '-'). The settings come from deploy/kafka/broker.env.
set -euo pipefail

props=/tmp/server.properties
: > "$props"
while IFS='=' read -r name value; do
  case "$name" in
    KAFKA_*)
      key="${name#KAFKA_}"
      key="$(printf '%s' "$key" | tr '[:upper:]' '[:lower:]' | sed -e 's/___/-/g' -e 's/__/@/g' -e 's/_/./g' -e 's/@/_/g')"
      printf '%s=%s\n' "$key" "$value" >> "$props"
      ;;
  esac
done < <(env)

cluster_id="${CLUSTER_ID:?CLUSTER_ID is required}"
log_dir="$(sed -n 's/^log.dirs=//p' "$props")"
if [ ! -f "$log_dir/meta.properties" ]; then
  java -Xmx256m -cp '/app/lib/*' kafka.tools.StorageTool format --cluster-id="$cluster_id" --config="$props"
fi
exec java ${KAFKA_HEAP_OPTS:--Xms512m -Xmx512m} -XX:-UsePerfData -cp '/app/lib/*' kafka.Kafka "$props"
