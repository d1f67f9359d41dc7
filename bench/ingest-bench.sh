#!/usr/bin/env bash
# Load test of the ingest edge over loopback (see docs/BENCHMARKS.md). Needs wrk (apt-get install wrk)
# and a build (./mvnw -q install -DskipTests). Runs (a) the real edge (IngestMain, -Xmx256m) publishing
# into a broker in its own JVM, then (b) the same server acknowledging without Kafka.
set -euo pipefail
cd "$(dirname "$0")/.."
CP="bench/target/classes:bench/target/lib/*"
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-64}
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

await() { for _ in $(seq 1 120); do curl -fs "$1" >/dev/null 2>&1 && return 0; sleep 0.5; done; echo "not ready: $1" >&2; exit 1; }

export TOKEN=$(java -cp "$CP" dev.parapet.bench.PrintToken bench-user)
secret="bench-secret-0123456789abcdef0123456789abcdef0123456789abcdef"

java -Xmx512m -cp "$CP" dev.parapet.bench.StandaloneKafka "$work/bootstrap" > "$work/kafka.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 60); do [ -s "$work/bootstrap" ] && break; sleep 0.5; done

KAFKA_BOOTSTRAP_SERVERS=$(cat "$work/bootstrap") SECRET_KEY="$secret" PARAPET_API_HOST=127.0.0.1 PARAPET_API_PORT=18080 \
  PARAPET_IP_RATE_LIMIT=10000000 PARAPET_STATE_DIR="$work/state" \
  java -Xmx256m -cp "$CP" dev.parapet.ingest.app.IngestMain > "$work/ingest.log" 2>&1 &
ingest=$!
pids+=($ingest)
await http://127.0.0.1:18080/readyz
echo "== (a) POST /v1/queries into the broker, $CONNECTIONS connections, $DURATION"
wrk -t2 -c"$CONNECTIONS" -d5s -s bench/ingest-post.lua http://127.0.0.1:18080/v1/queries > /dev/null
wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/ingest-post.lua http://127.0.0.1:18080/v1/queries
echo "heap of the edge after the run:"; jcmd "$ingest" GC.heap_info 2>/dev/null | head -3 || true
kill "$ingest"

java -Xmx256m -cp "$CP" dev.parapet.bench.IngestCeilingServer 18081 > "$work/ceiling.log" 2>&1 &
pids+=($!)
await http://127.0.0.1:18081/healthz
echo "== (b) the same server answering 202 without Kafka"
wrk -t2 -c"$CONNECTIONS" -d5s -s bench/ingest-post.lua http://127.0.0.1:18081/v1/queries > /dev/null
wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/ingest-post.lua http://127.0.0.1:18081/v1/queries
