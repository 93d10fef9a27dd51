#!/usr/bin/env bash
# CRM sync benchmark: N distinct guests drained into an emulated HubSpot limited to 100
# requests per 10 s, against the theoretical minimum (N / 100 per call / 10 calls per s); the same with
# 20 % of requests answered 429 or 503; and the naive one-call-per-guest sync for comparison (run for
# NAIVE_SECONDS and projected, since draining N that way takes N / 10 s). Loopback only; emulators stop
# by themselves; every wait is bounded.
#
#   bench/crmsync/run.sh                 # N=50000
#   N=5000 bench/crmsync/run.sh          # a quicker look
set -euo pipefail
export LC_ALL=C
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
N=${N:-50000}
NAIVE_SECONDS=${NAIVE_SECONDS:-60}
DRAIN_LIMIT=${DRAIN_LIMIT:-1200}
PORT=${PORT:-18500}
A=18511; B=18512; C=18513
WORK=$ROOT/bench/crmsync/target/run
LAUNCHER=$ROOT/modules/launcher/target/guestbridge-launcher.jar
command -v jq >/dev/null || { apt-get update -qq && apt-get install -y -qq jq >/dev/null; }

cd "$ROOT"
echo "building…" >&2
mvn -q -DskipTests install
mvn -q -f modules/crm-emulator/pom.xml dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
EMU_CP=$ROOT/modules/crm-emulator/target/classes:$(cat modules/crm-emulator/target/classpath.txt)
rm -rf "$WORK" && mkdir -p "$WORK"

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
LIFETIME=$((DRAIN_LIMIT * 4 + 600))
java -cp "$EMU_CP" io.guestbridge.crmemulator.BenchmarkMain $A 100 10000 0 $LIFETIME >"$WORK/emu-a.log" 2>&1 & PIDS+=($!)
java -cp "$EMU_CP" io.guestbridge.crmemulator.BenchmarkMain $B 100 10000 0.2 $LIFETIME >"$WORK/emu-b.log" 2>&1 & PIDS+=($!)
java -cp "$EMU_CP" io.guestbridge.crmemulator.BenchmarkMain $C 100 10000 0 $LIFETIME >"$WORK/emu-c.log" 2>&1 & PIDS+=($!)
for log in emu-a emu-b emu-c; do
    for _ in $(seq 60); do grep -q 'emulator ready' "$WORK/$log.log" && break; sleep 1; done
done

connector() { # name port batch-size poll-ms
    local up; up=$(echo "$1" | tr 'a-z-' 'A-Z_')
    echo "CRM_${up}_TYPE=hubspot CRM_${up}_BASE_URL=http://127.0.0.1:$2 CRM_${up}_TOKEN=hubspot-test-token CRM_${up}_BATCH_SIZE=$3"
    echo "CRM_${up}_RATE_LIMIT_REQUESTS=100 CRM_${up}_RATE_LIMIT_WINDOW_MS=10000 CRM_${up}_LINGER_MS=500 QUEUE_CRM_${up}_POLL_MS=$4"
    echo "QUEUE_CRM_${up}_BACKOFF_BASE_MS=500 QUEUE_CRM_${up}_BACKOFF_CAP_MS=5000 QUEUE_CRM_${up}_MAX_ATTEMPTS=20"
}
PAUSED=3600000
SERVER=
start_server() { # poll-ms for a, b, c
    local envs
    envs="OUTBOUND_ALLOW_LOOPBACK=true CRM_CONNECTORS=hubspot-a,hubspot-b,hubspot-naive $(connector hubspot-a $A 100 "$1") $(connector hubspot-b $B 100 "$2") $(connector hubspot-naive $C 1 "$3")"
    env $envs GUESTBRIDGE_HOME=$WORK/home HTTP_PORT=$PORT HTTPS_PORT=0 SERVER_JAVA_OPTS="-Xmx768m -XX:+UseSerialGC" \
        java -jar "$LAUNCHER" >>"$WORK/server.log" 2>&1 &
    SERVER=$!; PIDS+=($SERVER)
    for _ in $(seq 240); do
        [ "$(grep -c 'guestbridge is ready' "$WORK/server.log")" -ge "$STARTS" ] && return 0
        kill -0 $SERVER 2>/dev/null || { tail -40 "$WORK/server.log" >&2; exit 1; }
        sleep 1
    done
    echo "server not ready" >&2; exit 1
}
stop_server() { kill -TERM $SERVER; wait $SERVER 2>/dev/null || true; }
API=http://127.0.0.1:$PORT/api/v1
token() { GUESTBRIDGE_HOME=$WORK/home java -jar "$LAUNCHER" token "$1"; }
pending() { curl -sf -H "Authorization: Bearer $(token operator)" "$API/queues" | jq --arg q "$1" '[.[] | select(.queue==$q) | .pending] | add // 0'; }
contacts() { tail -1 "$WORK/emu-$1.log" | sed -E 's/.*contacts=([0-9]+).*/\1/'; }
created() { tail -1 "$WORK/emu-$1.log" | sed -E 's/.*created=([0-9]+).*/\1/'; }
requests() { tail -1 "$WORK/emu-$1.log" | sed -E 's/.*requests=([0-9]+).*/\1/'; }
violations() { tail -1 "$WORK/emu-$1.log" | sed -E 's/.*violations=([0-9]+).*/\1/'; }

# phase 1: N guests imported and processed; every connector's queue paused, so the guests wait there
STARTS=1; start_server $PAUSED $PAUSED $PAUSED
SOURCE=$(curl -sf -H "Authorization: Bearer $(token operator)" -H 'Content-Type: application/json' \
    -d '{"kind":"GENERIC","name":"crm bench","timeZone":"Europe/London"}' "$API/sources" | jq -r .source.id)
awk -v n="$N" 'BEGIN { print "email,first_name,last_name,connect_time,venue_name"; for (i = 0; i < n; i++) printf "crm-bench-%d@example.com,Jane,Smith,2026-11-24T10:%02d:00Z,Bench Hall\n", i, i % 60 }' >"$WORK/guests.csv"
curl -sf -H "Authorization: Bearer $(token integration)" -H 'Content-Type: text/csv' --data-binary @"$WORK/guests.csv" \
    "$API/ingest/imports?source=$SOURCE" | jq '{accepted, duplicate, rejected}' >&2
echo "processing $N guests…" >&2
for _ in $(seq "$DRAIN_LIMIT"); do [ "$(pending ingestion-inbox)" = 0 ] && [ "$(pending crm-sync)" = 0 ] && break; sleep 1; done
[ "$(pending crm:hubspot-a)" -ge "$N" ] || { echo "only $(pending crm:hubspot-a) guests waiting for hubspot-a" >&2; exit 1; }
stop_server

lastStored() { tail -1 "$WORK/emu-$1.log" | sed -E 's/.*last=([0-9]+).*/\1/'; }
# the moment the server that was started last said it was ready (Payara's own log stamp, epoch ms)
readyAt() { grep -o 'timeMillis: [0-9]*\] \[levelValue: [0-9]*\] Payara Micro .* ready in' "$WORK/server.log" | tail -1 | sed -E 's/timeMillis: ([0-9]+).*/\1/'; }
drain() { # connector emulator: seconds from the server being ready to the emulator storing the last contact
    for _ in $(seq "$DRAIN_LIMIT"); do
        [ "$(contacts "$2")" -ge "$N" ] && [ "$(pending "crm:$1")" = 0 ] && break
        sleep 0.5
    done
    sleep 1.2 # one more status line from the emulator, so that its last= is the final one
    echo "scale=3; ($(lastStored "$2") - $(readyAt)) / 1000" | bc
}
# phase 2a: healthy HubSpot
STARTS=2; start_server 250 $PAUSED $PAUSED
ELAPSED_A=$(drain hubspot-a a); stop_server
# phase 2b: 20 % of requests answered 429 or 503
STARTS=3; start_server $PAUSED 250 $PAUSED
ELAPSED_B=$(drain hubspot-b b); stop_server
# phase 2c: naive, one call per guest, for NAIVE_SECONDS
STARTS=4; start_server $PAUSED $PAUSED 250
sleep "$NAIVE_SECONDS"; NAIVE_DONE=$(contacts c); stop_server
sleep 2

MIN=$(echo "scale=1; $N / 100 / 10" | bc)
echo
echo "guestbridge CRM sync benchmark — $(date -u +%Y-%m-%dT%H:%MZ)"
echo "machine: $(nproc) cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | xargs); server -Xmx768m; emulators and server on the same cores"
echo "input: $N distinct guests (CSV import, processed before the drain starts); emulated HubSpot limited to 100 requests / 10 s;"
echo "       connector budget 100 / 10 s, batches of 100, linger 500 ms; timing from the server's own ready stamp to the emulator storing the last contact (20 ms resolution)"
echo
printf '%-34s %10s %10s %8s %9s %8s %8s %10s\n' run "elapsed s" "minimum s" ratio contacts created requests violations
printf '%-34s %10.1f %10s %8.3f %9s %8s %8s %10s\n' "healthy" "$ELAPSED_A" "$MIN" "$(echo "scale=3; $ELAPSED_A / $MIN" | bc)" \
    "$(contacts a)" "$(created a)" "$(requests a)" "$(violations a)"
printf '%-34s %10.1f %10s %8.3f %9s %8s %8s %10s\n' "20 % of requests 429/503" "$ELAPSED_B" "$MIN" "$(echo "scale=3; $ELAPSED_B / $MIN" | bc)" \
    "$(contacts b)" "$(created b)" "$(requests b)" "$(violations b)"
NAIVE_RATE=$(echo "scale=2; $NAIVE_DONE / $NAIVE_SECONDS" | bc)
printf '%-34s %10s %10s %8s %9s\n' "naive, 1 guest per call (projected)" "$(echo "scale=0; $N / $NAIVE_RATE" | bc)" "$MIN" \
    "$(echo "scale=1; $N / $NAIVE_RATE / $MIN" | bc)" "$NAIVE_DONE in ${NAIVE_SECONDS}s"
echo "targets: healthy <= 1.05 x minimum; with 20 % faults <= 1.5 x; 0 lost (contacts = $N) and 0 duplicated (created = $N)"
