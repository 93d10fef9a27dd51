#!/usr/bin/env bash
# CRM sync benchmark: N distinct guests drained into an emulated HubSpot limited to 100
# requests per 10 s, against the theoretical minimum (N / 100 per call / 10 calls per s); the same with
# 20 % of requests answered 429 or 503; and the naive one-call-per-guest sync for comparison (run for
# NAIVE_SECONDS and projected, since draining N that way takes N / 10 s). Loopback only; emulators stop
# by themselves; every wait is bounded.
#
# Each drain starts cold: the server first syncs WARM other guests (imported before the N), printed as their own
# "cold" row; the N after them are the steady state. Next to each drain: the CPU the server's JVM, its database and
# the emulator spent per contact in it (utime + stime from /proc, sampled every 100 ms and read at the emulator's
# own stamps).
#
#   bench/crmsync/run.sh                 # N=50000
#   N=5000 bench/crmsync/run.sh          # a quicker look
#   BENCH_JFR=1 bench/crmsync/run.sh     # also a JFR recording of the server and the emulator over each steady-state drain
#                                        # (its start costs the server CPU inside the span: compare CPU figures without it)
set -euo pipefail
export LC_ALL=C
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
N=${N:-50000}
WARM=${WARM:-2000}
TOTAL=$((WARM + N))
BENCH_JFR=${BENCH_JFR:-0}
# the emulators check every CHECK_EVERYth request against HubSpot's OpenAPI document (the tests check every one): the
# check costs the emulator more CPU than the rest of a request, on the cores the server runs on
CHECK_EVERY=${CHECK_EVERY:-10}
NAIVE_SECONDS=${NAIVE_SECONDS:-60}
DRAIN_LIMIT=${DRAIN_LIMIT:-1200}
PORT=${PORT:-18500}
A=18511; B=18512; C=18513
WORK=$ROOT/bench/crmsync/target/run
LAUNCHER=$ROOT/modules/launcher/target/guestbridge-launcher.jar
command -v jq >/dev/null || { apt-get update -qq && apt-get install -y -qq jq >/dev/null; }

cd "$ROOT"
echo "building…" >&2
[ "${SKIP_BUILD:-0}" = 1 ] || mvn -q -DskipTests install # SKIP_BUILD=1: the tree is built already (mvn package)
mvn -q -f modules/crm-emulator/pom.xml dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
EMU_CP=$ROOT/modules/crm-emulator/target/classes:$(cat modules/crm-emulator/target/classpath.txt)
rm -rf "$WORK" && mkdir -p "$WORK"

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
LIFETIME=$((DRAIN_LIMIT * 4 + 600))
java -cp "$EMU_CP" io.guestbridge.crmemulator.BenchmarkMain $A 100 10000 0 $LIFETIME $WARM $CHECK_EVERY >"$WORK/emu-a.log" 2>&1 & PIDS+=($!); EMU_A=$!
java -cp "$EMU_CP" io.guestbridge.crmemulator.BenchmarkMain $B 100 10000 0.2 $LIFETIME $WARM $CHECK_EVERY >"$WORK/emu-b.log" 2>&1 & PIDS+=($!); EMU_B=$!
java -cp "$EMU_CP" io.guestbridge.crmemulator.BenchmarkMain $C 100 10000 0 $LIFETIME 0 $CHECK_EVERY >"$WORK/emu-c.log" 2>&1 & PIDS+=($!)
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

# phase 1: WARM warm-up guests, then N guests imported and processed; every connector's queue paused, so the
# guests wait there, the warm-up ones first
STARTS=1; start_server $PAUSED $PAUSED $PAUSED
SOURCE=$(curl -sf -H "Authorization: Bearer $(token operator)" -H 'Content-Type: application/json' \
    -d '{"kind":"GENERIC","name":"crm bench","timeZone":"Europe/London"}' "$API/sources" | jq -r .source.id)
import_guests() { # prefix count
    awk -v n="$2" -v p="$1" 'BEGIN { print "email,first_name,last_name,connect_time,venue_name"; for (i = 0; i < n; i++) printf "%s-%d@example.com,Jane,Smith,2026-11-24T10:%02d:00Z,Bench Hall\n", p, i, i % 60 }' >"$WORK/$1.csv"
    curl -sf -H "Authorization: Bearer $(token integration)" -H 'Content-Type: text/csv' --data-binary @"$WORK/$1.csv" \
        "$API/ingest/imports?source=$SOURCE" | jq -c '{accepted, duplicate, rejected}' >&2
    echo "processing $2 guests…" >&2
    for _ in $(seq "$DRAIN_LIMIT"); do [ "$(pending ingestion-inbox)" = 0 ] && [ "$(pending crm-sync)" = 0 ] && break; sleep 1; done
}
if [ "$WARM" -gt 0 ]; then import_guests crm-warm "$WARM"; fi
import_guests crm-bench "$N"
[ "$(pending crm:hubspot-a)" -ge "$TOTAL" ] || { echo "only $(pending crm:hubspot-a) guests waiting for hubspot-a" >&2; exit 1; }
stop_server

lastStored() { tail -1 "$WORK/emu-$1.log" | sed -E 's/.*last=([0-9]+).*/\1/'; }
# the moment the server that was started last said it was ready (Payara's own log stamp, epoch ms), from the server's
# log files under the home (the launcher's output in $WORK/server.log has no such stamp)
readyAt() {
    cat "$WORK"/home/logs/server.log* | grep -o 'timeMillis: [0-9]*\] \[levelValue: [0-9]*\] Payara Micro .* ready in' \
        | sed -E 's/timeMillis: ([0-9]+).*/\1/' | sort -n | tail -1
}
field() { tail -1 "$WORK/emu-$1.log" | sed -E "s/.* $2=([0-9]+).*/\1/"; }
child() { # the launcher's child process with this command name (the server's JVM: java; its database: mariadbd)
    local c; for c in $(pgrep -P "$SERVER"); do [ "$(cat /proc/$c/comm 2>/dev/null)" = "$1" ] && { echo "$c"; return; }; done
}
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
HZ=$(getconf CLK_TCK)
# CPU ms per contact of one process column (2 server, 3 database, 4 emulator) between two epoch-ms stamps: the samples nearest them
cpu() { # column from-ms to-ms contacts
    awk -v col="$1" -v from="$2" -v to="$3" -v n="$4" -v hz="$HZ" '
        { d = $1 - from; if (d < 0) d = -d; if (bf == "" || d < bf) { bf = d; a = $col }
          d = $1 - to; if (d < 0) d = -d; if (bt == "" || d < bt) { bt = d; b = $col } }
        END { printf "%.3f", (b - a) * 1000 / hz / n }' "$WORK/cpu-$PHASE.log"
}
# drain connector emulator emulator-pid: sets COLD (s, the WARM warm-up contacts from the server being ready), STEADY (s, the
# contacts after them, up to the emulator storing the last), STEADY_N, and *_CPU (ms per contact: server, database, emulator)
drain() {
    local spid dpid sampler jfr=0
    spid=$(child java); dpid=$(child mariadbd)
    ( for _ in $(seq $((DRAIN_LIMIT * 10))); do
        kill -0 "$spid" 2>/dev/null || break
        echo "$(date +%s%3N) $(ticks "$spid") $(ticks "$dpid") $(ticks "$3")"; sleep 0.1
      done ) >"$WORK/cpu-$PHASE.log" & sampler=$!
    for _ in $(seq $((DRAIN_LIMIT * 5))); do
        if [ "$BENCH_JFR" = 1 ] && [ $jfr = 0 ] && [ "$(field "$2" mark)" != 0 ]; then
            jfr=1
            jcmd "$spid" JFR.start name=drain settings=profile >/dev/null
            jcmd "$3" JFR.start name=drain settings=profile >/dev/null
        fi
        [ "$(contacts "$2")" -ge "$TOTAL" ] && [ "$(pending "crm:$1")" = 0 ] && break
        sleep 0.2
    done
    sleep 0.5 # one more status line from the emulator, so that its last= is the final one
    if [ $jfr = 1 ]; then
        jcmd "$spid" JFR.stop name=drain filename="$WORK/server-$PHASE.jfr" >/dev/null
        jcmd "$3" JFR.stop name=drain filename="$WORK/emulator-$PHASE.jfr" >/dev/null
    fi
    kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true
    local ready mark last marked
    ready=$(readyAt); mark=$(field "$2" mark); last=$(lastStored "$2"); marked=$(field "$2" marked)
    COLD_N=$marked; STEADY_N=$((TOTAL - marked))
    COLD=$(echo "scale=3; ($mark - $ready) / 1000" | bc); STEADY=$(echo "scale=3; ($last - $mark) / 1000" | bc)
    local first; first=$(head -1 "$WORK/cpu-$PHASE.log" | cut -d' ' -f1)
    COLD_CPU="$(cpu 2 "$first" "$mark" "$COLD_N") $(cpu 3 "$first" "$mark" "$COLD_N") $(cpu 4 "$first" "$mark" "$COLD_N")"
    STEADY_CPU="$(cpu 2 "$mark" "$last" "$STEADY_N") $(cpu 3 "$mark" "$last" "$STEADY_N") $(cpu 4 "$mark" "$last" "$STEADY_N")"
}
# phase 2a: healthy HubSpot
STARTS=2; PHASE=a; start_server 250 $PAUSED $PAUSED
drain hubspot-a a "$EMU_A"; stop_server
COLD_A=$COLD; COLD_N_A=$COLD_N; COLD_CPU_A=$COLD_CPU; ELAPSED_A=$STEADY; N_A=$STEADY_N; CPU_A=$STEADY_CPU
# phase 2b: 20 % of requests answered 429 or 503
STARTS=3; PHASE=b; start_server $PAUSED 250 $PAUSED
drain hubspot-b b "$EMU_B"; stop_server
COLD_B=$COLD; COLD_N_B=$COLD_N; COLD_CPU_B=$COLD_CPU; ELAPSED_B=$STEADY; N_B=$STEADY_N; CPU_B=$STEADY_CPU
# phase 2c: naive, one call per guest, for NAIVE_SECONDS
STARTS=4; start_server $PAUSED $PAUSED 250
sleep "$NAIVE_SECONDS"; NAIVE_DONE=$(contacts c); stop_server
sleep 2

MIN=$(echo "scale=1; $N / 100 / 10" | bc)
minimum() { echo "scale=3; $1 / 100 / 10" | bc; }
echo
echo "guestbridge CRM sync benchmark — $(date -u +%Y-%m-%dT%H:%MZ)"
echo "machine: $(nproc) cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | xargs); server -Xmx768m; emulators and server on the same cores"
echo "input: $WARM warm-up guests, then $N distinct guests (CSV imports, processed before the drain starts); emulated HubSpot limited to 100 requests / 10 s;"
echo "       connector budget 100 / 10 s, batches of 100, linger 500 ms; cold: from the server's own ready stamp to the emulator storing the"
echo "       warm-up contacts; steady: from there to the emulator storing the last contact (20 ms resolution); CPU ms per contact of the"
echo "       server's JVM / its database / the emulator over the same span (100 ms samples of /proc utime + stime)"
echo
row() { # name elapsed contacts-in-span cpu emulator
    printf '%-34s %10.2f %10s %8.3f %7s %9s %9s %9s %8s %8s %10s\n' "$1" "$2" "$(minimum "$3")" "$(echo "scale=3; $2 / $(minimum "$3")" | bc)" "$3" $4 \
        "$(contacts "$5")" "$(created "$5")" "$(violations "$5")"
}
printf '%-34s %10s %10s %8s %7s %9s %9s %9s %8s %8s %10s\n' run "elapsed s" "minimum s" ratio "span" "server ms" "db ms" "emu ms" contacts created violations
row "healthy, cold (warm-up contacts)" "$COLD_A" "$COLD_N_A" "$COLD_CPU_A" a
row "healthy, steady" "$ELAPSED_A" "$N_A" "$CPU_A" a
row "20 % 429/503, cold" "$COLD_B" "$COLD_N_B" "$COLD_CPU_B" b
row "20 % 429/503, steady" "$ELAPSED_B" "$N_B" "$CPU_B" b
echo "requests: healthy $(requests a), with faults $(requests b)"
for e in a b; do
    echo "emulator $e: $(field $e checks) of $(requests $e) requests checked against HubSpot's OpenAPI document (every ${CHECK_EVERY}th), $(field $e check_ms) ms in the checks"
done
NAIVE_RATE=$(echo "scale=2; $NAIVE_DONE / $NAIVE_SECONDS" | bc)
printf '%-34s %10s %10s %8s %9s\n' "naive, 1 guest per call (projected)" "$(echo "scale=0; $N / $NAIVE_RATE" | bc)" "$MIN" \
    "$(echo "scale=1; $N / $NAIVE_RATE / $MIN" | bc)" "$NAIVE_DONE in ${NAIVE_SECONDS}s"
echo "targets: steady healthy <= 1.05 x minimum; with 20 % faults <= 1.3 x; server CPU <= 0.5 ms per contact; 0 lost (contacts = $TOTAL) and 0 duplicated (created = $TOTAL)"
