#!/usr/bin/env bash
# Intake benchmark: the Purple webhook (durable ack by group commit) against a no-op POST
# and against the naive approach (one JPA transaction per request), on the same server, same body,
# same run, at 16 and 64 connections. Loopback only; every load run is bounded by DURATION.
#
#   bench/intake/run.sh                      # 15 s warm-up + 60 s per endpoint and connection count
#   DURATION=20 WARMUP=5 bench/intake/run.sh # a quicker look
#   BASE_REV=<git rev> bench/intake/run.sh   # also that revision's Purple webhook, built (mvn package, nothing
#                                            # installed) in a temporary git worktree that is removed afterwards,
#                                            # under the same load just before this build; the table adds its rows
#                                            # and this build's Purple rate over the base's
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DURATION=${DURATION:-60}
WARMUP=${WARMUP:-15}
CONNECTIONS=${CONNECTIONS:-"16 64"}
PORT=${PORT:-18480}
DB_PORT=${DB_PORT:-18481}
RUNS=$ROOT/bench/intake/target; mkdir -p "$RUNS"
source "$ROOT/bench/lib.sh"
source "$ROOT/bench/base.sh"

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
command -v jq >/dev/null || { apt-get update -qq && apt-get install -y -qq jq >/dev/null; }

cd "$ROOT"
echo "building (mvn install, then the benchmark WAR)…" >&2
mvn -q -DskipTests install
mvn -q -f bench/intake/pom.xml package

BODY=$ROOT/modules/app/src/test/resources/fixtures/purple-webhook-as-documented.json
to_ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us$/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v=v*1000}; printf "%.2f", v}'; }
declare -A RPS P50 P99 ERR

# start_server LAUNCHER WAR WORK: one server of that build on the benchmark's ports, with a Purple source registered
# (its key in KEY). Processing of the inbox is paused (its worker polls once an hour): this benchmark compares the
# intake path alone with the no-op and the naive endpoints, which do no processing either. bench/processing measures
# intake and processing running together.
start_server() {
    LAUNCHER=$1 WORK=$3
    rm -rf "$WORK" && mkdir -p "$WORK"
    bench_start_server HTTP_PORT=$PORT HTTPS_PORT=0 EMBEDDED_DB_PORT=$DB_PORT SERVER_JAVA_OPTS="-Xmx512m -XX:+UseSerialGC" \
        QUEUE_INGESTION_INBOX_POLL_MS=3600000 QUEUE_INGESTION_INBOX_WAKE_ON_COMMIT=false GUESTBRIDGE_WAR="$2"
    local token
    token=$(GUESTBRIDGE_HOME=$WORK/home java -jar "$LAUNCHER" token integration)
    KEY=$(curl -s -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
        -d '{"kind":"PURPLE","name":"benchmark","timeZone":"Europe/London"}' \
        "http://127.0.0.1:$PORT/api/v1/sources" | jq -r .key)
    [ ${#KEY} -eq 43 ] || { echo "could not register a source" >&2; exit 1; }
    cat >"$WORK/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open("$BODY", "rb"); wrk.body = f:read("*a"); f:close()
LUA
}

stop_server() {
    kill -TERM "$SERVER" 2>/dev/null || true
    for _ in $(seq 60); do kill -0 "$SERVER" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$SERVER" 2>/dev/null || true
    wait "$SERVER" 2>/dev/null || true
}

# load NAME PATH CONNECTIONS: warm-up, then the measured run; its figures under NAME in RPS, P50, P99 and ERR
load() {
    local ep=$1 url="http://127.0.0.1:$PORT$2" c=$3
    wrk -t2 -c"$c" -d"${WARMUP}s" -s "$WORK/post.lua" "$url" >/dev/null
    wrk -t2 -c"$c" -d"${DURATION}s" --timeout 10s --latency -s "$WORK/post.lua" "$url" >"$WORK/wrk-$ep-$c.txt"
    RPS[$ep,$c]=$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$WORK/wrk-$ep-$c.txt")
    P50[$ep,$c]=$(awk '$1=="50%" {print $2}' "$WORK/wrk-$ep-$c.txt" | to_ms)
    P99[$ep,$c]=$(awk '$1=="99%" {print $2}' "$WORK/wrk-$ep-$c.txt" | to_ms)
    ERR[$ep,$c]=$(awk '/Non-2xx/ {print $5} /Socket errors/ {print "sock"}' "$WORK/wrk-$ep-$c.txt" | paste -sd, -)
    echo "  $ep c=$c: ${RPS[$ep,$c]} req/s p50 ${P50[$ep,$c]} ms p99 ${P99[$ep,$c]} ms ${ERR[$ep,$c]}" >&2
}

trap 'bench_cleanup; bench_base_remove' EXIT
if [ -n "${BASE_REV:-}" ]; then
    bench_base_build "$BASE_REV" "$RUNS/base-build.log"
    echo "measuring $BASE_REV…" >&2
    start_server "$BASE_TREE/modules/launcher/target/guestbridge-launcher.jar" "$BASE_TREE/modules/app/target/guestbridge.war" "$RUNS/run-base"
    for c in $CONNECTIONS; do load base "/api/v1/ingest/purple/$KEY" "$c"; done
    stop_server
    bench_base_remove
fi

echo "measuring this build…" >&2
start_server "$ROOT/modules/launcher/target/guestbridge-launcher.jar" "$ROOT/bench/intake/target/guestbridge-bench.war" "$RUNS/run"
for c in $CONNECTIONS; do
    load noop "/api/v1/bench/noop/$KEY" "$c"
    load purple "/api/v1/ingest/purple/$KEY" "$c"
    load naive "/api/v1/bench/naive/$KEY" "$c"
done
STORED=$(curl -s -H "Authorization: Bearer $(GUESTBRIDGE_HOME=$WORK/home java -jar "$LAUNCHER" token operator)" \
    "http://127.0.0.1:$PORT/api/v1/queues" | jq '[.[] | select(.queue=="ingestion-inbox")][0].pending // 0')

echo
echo "guestbridge intake benchmark — $(date -u +%Y-%m-%dT%H:%MZ), this build $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD || echo '+changes')"
echo "machine: $(nproc) cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | xargs), $(free -g | awk '/Mem/ {print $2}') GiB; wrk on the same cores (-t2)"
echo "body: $(wc -c <"$BODY") bytes (Purple's documented payload); ${WARMUP} s warm-up, ${DURATION} s measured per row; server -Xmx512m;"
echo "inbox processing paused during the run (intake path only, like the two comparison endpoints)"
[ -z "${BASE_REV:-}" ] || echo "base: purple of $BASE_REV, built and run by this script just before this build, same load"
echo
printf '%-6s %-8s %10s %9s %9s %s\n' conns endpoint "req/s" "p50 ms" "p99 ms" errors
for c in $CONNECTIONS; do
    for ep in noop purple naive ${BASE_REV:+base}; do
        printf '%-6s %-8s %10s %9s %9s %s\n' "$c" "$ep" "${RPS[$ep,$c]}" "${P50[$ep,$c]}" "${P99[$ep,$c]}" "${ERR[$ep,$c]:-none}"
    done
    printf '%-6s %-8s %10s%s\n' "$c" "ratios" "purple/noop $(echo "scale=2; ${RPS[purple,$c]}/${RPS[noop,$c]}" | bc)  purple/naive $(echo "scale=2; ${RPS[purple,$c]}/${RPS[naive,$c]}" | bc)" \
        "${BASE_REV:+  purple/base $(echo "scale=2; ${RPS[purple,$c]}/${RPS[base,$c]}" | bc)}"
done
echo "targets: purple/noop >= 0.6, purple/naive >= 4, purple p99 <= 25 ms at 16 connections"
echo "inbox batches waiting for processing (one work item per group commit): $STORED"
