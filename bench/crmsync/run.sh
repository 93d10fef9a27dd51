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
# MODE=multi: the N guests through HubSpot, Salesforce and Mailchimp at once, each connector at its own limit (one
# emulator process serving the three, each service with its own budget): per connector its steady drain against its
# own minimum, the server's RSS at start, middle and end of the drain, and per service the contacts received (every
# delivery), distinct, lost (expected - distinct) and duplicated (received - distinct).
#
# Each HubSpot emulator also writes its request timeline (timeline-a.txt, -b.txt; MODE=multi: timeline-m.txt, in the run's
# folder): a line per request, its arrival in epoch ms, its path and the fault injected (429, 503, or -). Where a drain
# lost time shows there as a gap between requests, after what.
#
#   bench/crmsync/run.sh                 # N=50000
#   N=5000 bench/crmsync/run.sh          # a quicker look
#   BENCH_JFR=1 bench/crmsync/run.sh     # also a JFR recording of the server and the emulator over each steady-state drain
#                                        # (its start costs the server CPU inside the span: compare CPU figures without it)
#   BASE_REV=main bench/crmsync/run.sh   # the same drains against that revision as well (built with mvn package in a
#                                        # temporary git worktree, removed at the end), both builds in one table
#   SKIP_BUILD=1 bench/crmsync/run.sh    # the tree is built already: no mvn at all but the emulator's class path
#   NAIVE_SECONDS=0 …                    # without the naive run
#   SERVER_ENV="CRM_HUBSPOT_A_CONCURRENCY=5" …  # more settings for the server (both builds), to try one against the defaults
#   STATEMENT_SECONDS=0 MODE=multi …     # without sampling the database's running statements during HubSpot's drain (default 20 s)
# The build is mvn package, never install: an install would overwrite the jars in ~/.m2 that other builds use.
set -euo pipefail
export LC_ALL=C
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
N=${N:-50000}
MODE=${MODE:-single}
BASE_REV=${BASE_REV:-}
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
# a run of both builds runs this script once per build: the server's launcher (and with it its WAR) from that build, the
# emulator always this tree's, so that both are measured by the same instrument
WORK=${BENCH_WORK:-$ROOT/bench/crmsync/target/run}
LAUNCHER=${BENCH_LAUNCHER:-$ROOT/modules/launcher/target/guestbridge-launcher.jar}
LABEL=${BENCH_LABEL:-this build}
command -v jq >/dev/null || { apt-get update -qq && apt-get install -y -qq jq >/dev/null; }

cd "$ROOT"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
    echo "building (mvn package)…" >&2
    mvn -q -o package -DskipTests
fi
[ -n "${BENCH_CHILD:-}" ] \
    || mvn -q -o -f modules/crm-emulator/pom.xml dependency:build-classpath -Dmdep.outputFile=target/classpath.txt

if [ -n "$BASE_REV" ] && [ -z "${BENCH_CHILD:-}" ]; then
    source "$ROOT/bench/base.sh"
    trap bench_base_remove EXIT
    trap 'exit 143' TERM INT
    BASE_SHA=$(git rev-parse --short "$BASE_REV")
    bench_base_build "$BASE_REV" "$ROOT/bench/crmsync/target/base-build.log"
    HEAD_SHA=$(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo "+changes")
    mkdir -p "$ROOT/bench/crmsync/target" # tee opens its file before the run makes the folder, and fails the pipeline
    BENCH_CHILD=1 SKIP_BUILD=1 BASE_REV= BENCH_WORK="$ROOT/bench/crmsync/target/run-base" BENCH_LABEL="before: $BASE_SHA" \
        BENCH_LAUNCHER="$BASE_TREE/modules/launcher/target/guestbridge-launcher.jar" "$0" | tee "$ROOT/bench/crmsync/target/before.txt" >&2
    BENCH_CHILD=1 SKIP_BUILD=1 BASE_REV= BENCH_WORK="$ROOT/bench/crmsync/target/run" BENCH_LABEL="after: $HEAD_SHA" \
        "$0" | tee "$ROOT/bench/crmsync/target/after.txt" >&2
    echo
    echo "guestbridge CRM sync benchmark, MODE=$MODE, before and after — $(date -u +%Y-%m-%dT%H:%MZ)"
    echo "machine: $(nproc) cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | xargs); the same drains, emulator and settings for both builds"
    echo "before: $BASE_REV ($BASE_SHA); after: $HEAD_SHA (each build's figures as printed by its own run above)"
    echo
    # the result rows of both runs (tab-separated: run, then the figures), side by side
    join -t $'\t' -j1 <(awk -F'\t' '{ printf "%03d\t%s\n", NR, $0 }' "$ROOT/bench/crmsync/target/run-base/results.tsv") \
        <(awk -F'\t' '{ printf "%03d\t%s\n", NR, $0 }' "$ROOT/bench/crmsync/target/run/results.tsv") \
        | awk -F'\t' -v OFS='\t' '
            NR == 1 { n = (NF - 1) / 2; printf "%-38s", $2; for (i = 3; i <= n + 1; i++) printf " %13s", "before " $i; for (i = n + 3; i <= NF; i++) printf " %13s", "after " $i; print ""; next }
            { n = (NF - 1) / 2; printf "%-38s", $2; for (i = 3; i <= n + 1; i++) printf " %13s", $i; for (i = n + 3; i <= NF; i++) printf " %13s", $i; print "" }'
    exit 0
fi
EMU_CP=$ROOT/modules/crm-emulator/target/classes:$(cat modules/crm-emulator/target/classpath.txt)
rm -rf "$WORK" && mkdir -p "$WORK"

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
LIFETIME=$((DRAIN_LIMIT * 4 + 600))
# MODE=multi: each service's own limit per 10 s window: HubSpot 190 requests of 100 contacts; Salesforce SF_REQUESTS
# Collections calls of 200 records; Mailchimp MC_REQUESTS contacts: the connector's budget is MC_REQUESTS / 50 batches of
# 50 (a build that sends one batch subscribe call per batch makes that many requests; one that sends a member PUT per
# contact makes 50 per batch, which the emulator's limit of MC_REQUESTS requests admits), so both drain at the same minimum
HS_REQUESTS=${HS_REQUESTS:-190}
SF_REQUESTS=${SF_REQUESTS:-25}
MC_REQUESTS=${MC_REQUESTS:-2000}
if [ "$MODE" = multi ]; then
    java -Demulator.timeline="$WORK/timeline-m.txt" -cp "$EMU_CP" io.guestbridge.crmemulator.BenchmarkMain multi $A $LIFETIME 10000 "$HS_REQUESTS" "$SF_REQUESTS" "$MC_REQUESTS" $WARM $CHECK_EVERY \
        >"$WORK/emu-m.log" 2>&1 & PIDS+=($!); EMU_M=$!
    EMULATOR_LOGS="emu-m"
else
    java -Demulator.timeline="$WORK/timeline-a.txt" -cp "$EMU_CP" io.guestbridge.crmemulator.BenchmarkMain $A 100 10000 0 $LIFETIME $WARM $CHECK_EVERY >"$WORK/emu-a.log" 2>&1 & PIDS+=($!); EMU_A=$!
    java -Demulator.timeline="$WORK/timeline-b.txt" -cp "$EMU_CP" io.guestbridge.crmemulator.BenchmarkMain $B 100 10000 0.2 $LIFETIME $WARM $CHECK_EVERY >"$WORK/emu-b.log" 2>&1 & PIDS+=($!); EMU_B=$!
    java -cp "$EMU_CP" io.guestbridge.crmemulator.BenchmarkMain $C 100 10000 0 $LIFETIME 0 $CHECK_EVERY >"$WORK/emu-c.log" 2>&1 & PIDS+=($!)
    EMULATOR_LOGS="emu-a emu-b emu-c"
fi
for log in $EMULATOR_LOGS; do
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
# MODE=multi's three connectors, one per service of the one emulator, each at that service's limit
multi_connectors() { # poll-ms
    local q="QUEUE_CRM_%s_POLL_MS=$1 QUEUE_CRM_%s_BACKOFF_BASE_MS=500 QUEUE_CRM_%s_BACKOFF_CAP_MS=5000 QUEUE_CRM_%s_MAX_ATTEMPTS=20"
    echo "CRM_CONNECTORS=hubspot-m,salesforce-m,mailchimp-m"
    echo "CRM_HUBSPOT_M_TYPE=hubspot CRM_HUBSPOT_M_BASE_URL=http://127.0.0.1:$A CRM_HUBSPOT_M_TOKEN=hubspot-test-token CRM_HUBSPOT_M_BATCH_SIZE=100"
    echo "CRM_HUBSPOT_M_RATE_LIMIT_REQUESTS=$HS_REQUESTS CRM_HUBSPOT_M_RATE_LIMIT_WINDOW_MS=10000 CRM_HUBSPOT_M_LINGER_MS=500"
    echo "CRM_SALESFORCE_M_TYPE=salesforce CRM_SALESFORCE_M_BASE_URL=http://127.0.0.1:$A CRM_SALESFORCE_M_CLIENT_ID=sf-client"
    echo "CRM_SALESFORCE_M_CLIENT_SECRET=sf-secret CRM_SALESFORCE_M_BATCH_SIZE=200 CRM_SALESFORCE_M_SYNC_WITHOUT_CONSENT=true"
    echo "CRM_SALESFORCE_M_RATE_LIMIT_REQUESTS=$SF_REQUESTS CRM_SALESFORCE_M_RATE_LIMIT_WINDOW_MS=10000 CRM_SALESFORCE_M_LINGER_MS=500"
    echo "CRM_MAILCHIMP_M_TYPE=mailchimp CRM_MAILCHIMP_M_BASE_URL=http://127.0.0.1:$A CRM_MAILCHIMP_M_API_KEY=mc-key-us1"
    echo "CRM_MAILCHIMP_M_LIST_ID=guests CRM_MAILCHIMP_M_BATCH_SIZE=50 CRM_MAILCHIMP_M_SYNC_WITHOUT_CONSENT=true CRM_MAILCHIMP_M_CONCURRENCY=10"
    echo "CRM_MAILCHIMP_M_RATE_LIMIT_REQUESTS=$((MC_REQUESTS / 50)) CRM_MAILCHIMP_M_RATE_LIMIT_WINDOW_MS=10000 CRM_MAILCHIMP_M_LINGER_MS=500"
    # shellcheck disable=SC2059
    for c in HUBSPOT_M SALESFORCE_M MAILCHIMP_M; do printf "$q " $c $c $c $c; done
}
start_server() { # poll-ms for a, b, c (MODE=multi: for all three)
    local envs
    if [ "$MODE" = multi ]; then
        envs="OUTBOUND_ALLOW_LOOPBACK=true $(multi_connectors "$1")"
    else
        envs="OUTBOUND_ALLOW_LOOPBACK=true CRM_CONNECTORS=hubspot-a,hubspot-b,hubspot-naive $(connector hubspot-a $A 100 "$1") $(connector hubspot-b $B 100 "$2") $(connector hubspot-naive $C 1 "$3")"
    fi
    env $envs ${SERVER_ENV:-} GUESTBRIDGE_HOME=$WORK/home HTTP_PORT=$PORT HTTPS_PORT=0 SERVER_JAVA_OPTS="-Xmx768m -XX:+UseSerialGC" \
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
# the product's own bulk path: CSV imports of at most IMPORT_CHUNK rows each, then the intake's processing of them (the
# queues the import fills), timed together: SEED_S, printed as guests per second
IMPORT_CHUNK=${IMPORT_CHUNK:-100000}
SEED_S=0
import_guests() { # prefix count
    local from=0 size started; started=$(date +%s%3N)
    while [ "$from" -lt "$2" ]; do
        size=$(( $2 - from < IMPORT_CHUNK ? $2 - from : IMPORT_CHUNK ))
        awk -v from="$from" -v n="$size" -v p="$1" 'BEGIN { print "email,first_name,last_name,connect_time,venue_name"; for (i = from; i < from + n; i++) printf "%s-%d@example.com,Jane,Smith,2026-11-24T10:%02d:00Z,Bench Hall\n", p, i, i % 60 }' >"$WORK/$1.csv"
        curl -sf -H "Authorization: Bearer $(token integration)" -H 'Content-Type: text/csv' --data-binary @"$WORK/$1.csv" \
            "$API/ingest/imports?source=$SOURCE" | jq -c '{accepted, duplicate, rejected}' >&2
        from=$((from + size))
    done
    echo "processing $2 guests…" >&2
    for _ in $(seq "$DRAIN_LIMIT"); do [ "$(pending ingestion-inbox)" = 0 ] && [ "$(pending crm-sync)" = 0 ] && break; sleep 1; done
    SEED_S=$(echo "scale=3; ($(date +%s%3N) - $started) / 1000" | bc)
    echo "seeded $2 guests in $SEED_S s (import and processing, 1 s polls): $(echo "scale=0; $2 / $SEED_S" | bc) guests/s" >&2
}
if [ "$WARM" -gt 0 ]; then import_guests crm-warm "$WARM"; fi
import_guests crm-bench "$N"
SEED_N_S=$SEED_S
FIRST_QUEUE=crm:hubspot-a; [ "$MODE" = multi ] && FIRST_QUEUE=crm:hubspot-m
# items waiting: one per guest in builds that queued a contact per item, one per request's worth in later ones (each
# service's count of distinct contacts received says at the end whether every guest arrived)
WAITING=$(pending $FIRST_QUEUE)
[ "$WAITING" -gt 0 ] || { echo "no guests waiting for ${FIRST_QUEUE#crm:}" >&2; exit 1; }
echo "items waiting for ${FIRST_QUEUE#crm:}: $WAITING (for $TOTAL guests)" >&2
stop_server

lastStored() { tail -1 "$WORK/emu-$1.log" | sed -E 's/.*last=([0-9]+).*/\1/'; }
# the moment the server that was started last said it was ready (Payara's own log stamp, epoch ms), from the server's
# log files under the home (the launcher's output in $WORK/server.log has no such stamp since the logs rotate; it had
# before, and a build from before that may be the one compared against)
readyAt() {
    { cat "$WORK/server.log"; cat "$WORK"/home/logs/server.log* 2>/dev/null || true; } | grep -o 'timeMillis: [0-9]*\] \[levelValue: [0-9]*\] Payara Micro .* ready in' \
        | sed -E 's/timeMillis: ([0-9]+).*/\1/' | sort -n | tail -1
}
field() { tail -1 "$WORK/emu-$1.log" | sed -E "s/.* $2=([0-9]+).*/\1/"; }
child() { # the launcher's child process with this command name (the server's JVM: java; its database: mariadbd)
    local c; for c in $(pgrep -P "$SERVER"); do [ "$(cat /proc/$c/comm 2>/dev/null)" = "$1" ] && { echo "$c"; return; }; done
}
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
# the JVM's JIT compiler threads (C1, C2): while they still compile the server's start-up code they take much of its CPU in
# a drain of a few seconds, which is not the sync's own cost; their ticks are sampled apart so the table shows both
jit_threads() { local t; for t in /proc/$1/task/*; do case "$(cat "$t/comm" 2>/dev/null)" in C1\ Compiler*|C2\ Compiler*) echo "$t/stat";; esac; done; }
jit_ticks() { [ $# -gt 0 ] && awk '{ sub(/.*\) /, ""); s += $12 + $13 } END { print s + 0 }' "$@" 2>/dev/null || echo 0; }
HZ=$(getconf CLK_TCK)
# CPU ms per contact of one process column (2 server, 3 database, 4 emulator) between two epoch-ms stamps: the samples nearest them
cpu() { # column from-ms to-ms contacts
    awk -v col="$1" -v from="$2" -v to="$3" -v n="$4" -v hz="$HZ" '
        { d = $1 - from; if (d < 0) d = -d; if (bf == "" || d < bf) { bf = d; a = $col }
          d = $1 - to; if (d < 0) d = -d; if (bt == "" || d < bt) { bt = d; b = $col } }
        END { printf "%.3f", (b - a) * 1000 / hz / n }' "$WORK/cpu-$PHASE.log"
}
# drain connector emulator emulator-pid: sets COLD (s, the WARM warm-up contacts from the emulator's first request), STEADY (s, the
# contacts after them, up to the emulator storing the last), STEADY_N, and *_CPU (ms per contact: server, database, emulator)
drain() {
    local spid dpid sampler jfr=0 compilers
    spid=$(child java); dpid=$(child mariadbd)
    mapfile -t compilers < <(jit_threads "$spid")
    ( for _ in $(seq $((DRAIN_LIMIT * 10))); do
        kill -0 "$spid" 2>/dev/null || break
        echo "$(date +%s%3N) $(ticks "$spid") $(ticks "$dpid") $(ticks "$3") $(jit_ticks "${compilers[@]}")"; sleep 0.1
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
    local received mark last marked
    # the cold drain from the first request the emulator received, not from the server's ready stamp: the connector's
    # workers start with the application, before Payara logs it ready, and had stored warm-up contacts by then
    received=$(field "$2" first); mark=$(field "$2" mark); last=$(lastStored "$2"); marked=$(field "$2" marked)
    COLD_N=$marked; STEADY_N=$((TOTAL - marked))
    COLD=$(echo "scale=3; ($mark - $received) / 1000" | bc); STEADY=$(echo "scale=3; ($last - $mark) / 1000" | bc)
    local first; first=$(head -1 "$WORK/cpu-$PHASE.log" | cut -d' ' -f1)
    if [ "$mark" -gt "$first" ]; then
        COLD_CPU="$(cpu 2 "$first" "$mark" "$COLD_N") $(cpu 5 "$first" "$mark" "$COLD_N") $(cpu 3 "$first" "$mark" "$COLD_N") $(cpu 4 "$first" "$mark" "$COLD_N")"
    else # the warm-up contacts were stored before the first sample: no CPU figure for them (0 would read as free)
        COLD_CPU="n/a n/a n/a n/a"
    fi
    STEADY_CPU="$(cpu 2 "$mark" "$last" "$STEADY_N") $(cpu 5 "$mark" "$last" "$STEADY_N") $(cpu 3 "$mark" "$last" "$STEADY_N") $(cpu 4 "$mark" "$last" "$STEADY_N")"
}

# MODE=multi: what the database is doing once HubSpot holds its warm-up contacts (with the default N, HubSpot's steady
# drain, while the other two drain too): its statements running, sampled every 0.5 s for STATEMENT_SECONDS (0: not
# sampled), each cut to its first 60 characters with numbers and quoted values blanked, through the embedded server's own
# client and socket. A statement's share of the samples is its share of the time the database spends in statements,
# whatever it waits on inside (CPU, a latch, a row lock, the log)
STATEMENT_SECONDS=${STATEMENT_SECONDS:-20}
running_statements() {
    # without TLS, as bench/lib.sh's bench_db says: a handshake costs the database tens of ms of CPU
    "$WORK/home/mariadb/base/bin/mariadb" --skip-ssl -S "$WORK/home/mariadb/mariadb.sock" -u root -N -B -e "SELECT LEFT(REGEXP_REPLACE(REGEXP_REPLACE(
        REGEXP_REPLACE(info, '[[:space:]]+', ' '), '''[^'']*''', '?'), '[0-9]+', 'N'), 60) FROM information_schema.PROCESSLIST
        WHERE id <> CONNECTION_ID() AND command NOT IN ('Sleep', 'Daemon', 'Binlog Dump') AND info IS NOT NULL" 2>/dev/null || true
}
statement_shares() {
    [ -s "$WORK/statements.txt" ] || return 0
    awk '/^-- sample$/ { n++; next } { c[$0]++; t++ }
         END { if (n == 0) exit
               printf "database statements running in the %d s after HubSpot held its warm-up contacts: %.1f at a time on average, %d samples (running per sample, share, statement)\n", n / 2, t / n, n
               for (k in c) printf "%6.2f %5.1f %%  %s\n", c[k] / n, 100 * c[k] / t, k }' "$WORK/statements.txt" \
        | { IFS= read -r head; echo "$head"; sort -rn | head -12; } || true
}

if [ "$MODE" = multi ]; then
    # phase 2: the three connectors at once, from one server start; the drain ends when every service holds all contacts
    # and the three queues are empty (bounded by DRAIN_LIMIT)
    STARTS=2; PHASE=m; start_server 250
    spid=$(child java); dpid=$(child mariadbd)
    mapfile -t compilers < <(jit_threads "$spid")
    rss() { awk '/VmRSS/ { print int($2 / 1024) }' "/proc/$1/status" 2>/dev/null || echo 0; }
    ( for _ in $(seq $((DRAIN_LIMIT * 10))); do
        kill -0 "$spid" 2>/dev/null || break
        echo "$(date +%s%3N) $(ticks "$spid") $(ticks "$dpid") $(ticks "$EMU_M") $(rss "$spid") $(jit_ticks "${compilers[@]}")"; sleep 0.1
      done ) >"$WORK/cpu-$PHASE.log" & sampler=$!
    mfield() { tail -1 "$WORK/emu-m.log" | sed -E "s/.* $1=([0-9]+).*/\1/"; }
    jfr=0; statements=0
    for _ in $(seq $((DRAIN_LIMIT * 5))); do
        if [ "$BENCH_JFR" = 1 ] && [ $jfr = 0 ] && [ "$(mfield hubspot_mark)" != 0 ]; then
            jfr=1; jcmd "$spid" JFR.start name=drain settings=profile >/dev/null
        fi
        if [ "$STATEMENT_SECONDS" -gt 0 ] && [ $statements = 0 ] && [ "$(mfield hubspot_mark)" != 0 ]; then
            statements=1
            ( for _ in $(seq $((STATEMENT_SECONDS * 2))); do running_statements; echo "-- sample"; sleep 0.5; done ) >"$WORK/statements.txt" &
        fi
        [ "$(mfield hubspot_distinct)" -ge "$TOTAL" ] && [ "$(mfield salesforce_distinct)" -ge "$TOTAL" ] \
            && [ "$(mfield mailchimp_distinct)" -ge "$TOTAL" ] && break
        sleep 0.2
    done
    for q in hubspot-m salesforce-m mailchimp-m; do
        for _ in $(seq 60); do [ "$(pending "crm:$q")" = 0 ] && break; sleep 0.5; done
    done
    sleep 2 # late duplicates would show here, and one more status line from the emulator
    [ $jfr = 1 ] && jcmd "$spid" JFR.stop name=drain filename="$WORK/server-$PHASE.jfr" >/dev/null
    kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true
    READY=$(readyAt)
    FIRST_MARK=$(for c in hubspot salesforce mailchimp; do mfield ${c}_mark; done | sort -n | head -1)
    LAST_ALL=$(for c in hubspot salesforce mailchimp; do mfield ${c}_last; done | sort -n | tail -1)
    rss_at() { awk -v t="$1" '{ d = $1 - t; if (d < 0) d = -d; if (b == "" || d < b) { b = d; r = $5 } } END { print r }' "$WORK/cpu-$PHASE.log"; }
    stop_server
    sleep 1
    {
        printf 'run\telapsed s\tminimum s\tratio\treceived\tdistinct\tlost\tduplicated\n'
        for c in hubspot salesforce mailchimp; do
            case $c in
                hubspot) per_s=$((HS_REQUESTS * 100 / 10)) ;;
                salesforce) per_s=$((SF_REQUESTS * 200 / 10)) ;;
                mailchimp) per_s=$((MC_REQUESTS / 10)) ;;
            esac
            mark=$(mfield ${c}_mark); last=$(mfield ${c}_last); marked=$(mfield ${c}_marked)
            steady_n=$((TOTAL - marked))
            elapsed=$(echo "scale=3; ($last - $mark) / 1000" | bc); minimum=$(echo "scale=3; $steady_n / $per_s" | bc)
            received=$(mfield ${c}_received); distinct=$(mfield ${c}_distinct)
            printf '%s, steady (%s contacts/s)\t%.2f\t%.2f\t%.3f\t%s\t%s\t%s\t%s\n' "$c" "$per_s" "$elapsed" "$minimum" \
                "$(echo "scale=3; $elapsed / $minimum" | bc)" "$received" "$distinct" $((TOTAL - distinct)) $((received - distinct))
        done
    } >"$WORK/results.tsv"
    echo
    echo "guestbridge CRM sync benchmark, three CRMs at once ($LABEL) — $(date -u +%Y-%m-%dT%H:%MZ)"
    echo "machine: $(nproc) cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | xargs); server -Xmx768m; emulator and server on the same cores"
    echo "input: $WARM warm-up guests, then $N distinct guests, seeded by CSV imports of at most $IMPORT_CHUNK rows and processed"
    echo "       before the drain: the $N in $SEED_N_S s = $(echo "scale=0; $N / $SEED_N_S" | bc) guests/s"
    echo "limits per 10 s: HubSpot $HS_REQUESTS requests of 100; Salesforce $SF_REQUESTS Collections calls of 200; Mailchimp $MC_REQUESTS"
    echo "       contacts (connector: batches of 50, budget $((MC_REQUESTS / 50)) batches, each one batch subscribe call or 50 member PUTs as"
    echo "       the build sends them); each connector's budget is its service's limit"
    echo "steady: from the service holding the $WARM warm-up contacts to it holding the last; minimum: the steady contacts at the limit"
    echo
    awk -F'\t' '{ printf "%-38s %10s %10s %7s %9s %9s %6s %10s\n", $1, $2, $3, $4, $5, $6, $7, $8 }' "$WORK/results.tsv"
    printf '%s\t%s\n' "server RSS MB, drain start" "$(rss_at "$READY")" >>"$WORK/results.tsv"
    MIDDLE=$(( (READY + LAST_ALL) / 2 ))
    echo "server RSS (MB): start $(rss_at "$READY"), middle $(rss_at "$MIDDLE"), end $(rss_at "$LAST_ALL") (-Xmx768m)"
    printf '%s\t%s\n' "server RSS MB, middle" "$(rss_at "$MIDDLE")" "server RSS MB, end" "$(rss_at "$LAST_ALL")" >>"$WORK/results.tsv"
    echo "server CPU per contact and connector over the whole drain (ready to last stored): $(cpu 2 "$READY" "$LAST_ALL" $((TOTAL * 3))) ms (of it its JIT compilers $(cpu 6 "$READY" "$LAST_ALL" $((TOTAL * 3))) ms); database $(cpu 3 "$READY" "$LAST_ALL" $((TOTAL * 3))) ms; emulator $(cpu 4 "$READY" "$LAST_ALL" $((TOTAL * 3))) ms"
    HS_MARK=$(mfield hubspot_mark); HS_LAST=$(mfield hubspot_last)
    echo "during HubSpot's steady drain, CPU of all three connectors' work in ms per HubSpot contact: server $(cpu 2 "$HS_MARK" "$HS_LAST" $((TOTAL - $(mfield hubspot_marked)))) (of it JIT $(cpu 6 "$HS_MARK" "$HS_LAST" $((TOTAL - $(mfield hubspot_marked))))), database $(cpu 3 "$HS_MARK" "$HS_LAST" $((TOTAL - $(mfield hubspot_marked))))"
    echo "requests: HubSpot $(mfield hubspot_requests), Salesforce $(mfield salesforce_requests), Mailchimp $(mfield mailchimp_requests); HubSpot contract violations $(mfield hubspot_violations)"
    statement_shares
    echo "targets: each steady drain <= 1.05 x its minimum; RSS flat; lost 0 and duplicated 0 at each service (expected $TOTAL)"
    exit 0
fi

# phase 2a: healthy HubSpot
STARTS=2; PHASE=a; start_server 250 $PAUSED $PAUSED
drain hubspot-a a "$EMU_A"; stop_server
COLD_A=$COLD; COLD_N_A=$COLD_N; COLD_CPU_A=$COLD_CPU; ELAPSED_A=$STEADY; N_A=$STEADY_N; CPU_A=$STEADY_CPU
# phase 2b: 20 % of requests answered 429 or 503
STARTS=3; PHASE=b; start_server $PAUSED 250 $PAUSED
drain hubspot-b b "$EMU_B"; stop_server
COLD_B=$COLD; COLD_N_B=$COLD_N; COLD_CPU_B=$COLD_CPU; ELAPSED_B=$STEADY; N_B=$STEADY_N; CPU_B=$STEADY_CPU
# phase 2c: naive, one call per guest, for NAIVE_SECONDS (0: not run)
NAIVE_DONE=0
if [ "$NAIVE_SECONDS" -gt 0 ]; then
    STARTS=4; start_server $PAUSED $PAUSED 250
    sleep "$NAIVE_SECONDS"; NAIVE_DONE=$(contacts c); stop_server
fi
sleep 2

MIN=$(echo "scale=1; $N / 100 / 10" | bc)
minimum() { echo "scale=3; $1 / 100 / 10" | bc; }
echo
echo "guestbridge CRM sync benchmark ($LABEL) — $(date -u +%Y-%m-%dT%H:%MZ)"
echo "machine: $(nproc) cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | xargs); server -Xmx768m; emulators and server on the same cores"
echo "input: $WARM warm-up guests, then $N distinct guests (CSV imports, processed before the drain starts); emulated HubSpot limited to 100 requests / 10 s;"
echo "       connector budget 100 / 10 s, batches of 100, linger 500 ms; cold: from the emulator's first request (a fresh server's) to it storing the"
echo "       warm-up contacts; steady: from there to the emulator storing the last contact (20 ms resolution); CPU ms per contact of the"
echo "       server's JVM (and of that, its JIT compiler threads) / its database / the emulator over the same span (100 ms samples of"
echo "       /proc utime + stime, per thread for the compilers)"
echo
printf 'run\telapsed s\tminimum s\tratio\tserver ms\tof it JIT\tdb ms\temu ms\n' >"$WORK/results.tsv"
row() { # name elapsed contacts-in-span cpu emulator
    # shellcheck disable=SC2086
    printf '%s\t%.2f\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$(minimum "$3")" "$(echo "scale=3; $2 / $(minimum "$3")" | bc)" $4 >>"$WORK/results.tsv"
    printf '%-34s %10.2f %10s %8.3f %7s %9s %9s %9s %9s %8s %8s %10s\n' "$1" "$2" "$(minimum "$3")" "$(echo "scale=3; $2 / $(minimum "$3")" | bc)" "$3" $4 \
        "$(contacts "$5")" "$(created "$5")" "$(violations "$5")"
}
printf '%-34s %10s %10s %8s %7s %9s %9s %9s %9s %8s %8s %10s\n' run "elapsed s" "minimum s" ratio "span" "server ms" "of it JIT" "db ms" "emu ms" contacts created violations
row "healthy, cold (warm-up contacts)" "$COLD_A" "$COLD_N_A" "$COLD_CPU_A" a
row "healthy, steady" "$ELAPSED_A" "$N_A" "$CPU_A" a
row "20 % 429/503, cold" "$COLD_B" "$COLD_N_B" "$COLD_CPU_B" b
row "20 % 429/503, steady" "$ELAPSED_B" "$N_B" "$CPU_B" b
echo "requests: healthy $(requests a), with faults $(requests b)"
for e in a b; do
    echo "emulator $e: $(field $e checks) of $(requests $e) requests checked against HubSpot's OpenAPI document (every ${CHECK_EVERY}th), $(field $e check_ms) ms in the checks"
done
[ "$NAIVE_SECONDS" -gt 0 ] && NAIVE_RATE=$(echo "scale=2; $NAIVE_DONE / $NAIVE_SECONDS" | bc) && printf '%-34s %10s %10s %8s %9s\n' "naive, 1 guest per call (projected)" "$(echo "scale=0; $N / $NAIVE_RATE" | bc)" "$MIN" \
    "$(echo "scale=1; $N / $NAIVE_RATE / $MIN" | bc)" "$NAIVE_DONE in ${NAIVE_SECONDS}s"
echo "targets: steady healthy <= 1.05 x minimum; with 20 % faults <= 1.3 x; server CPU <= 0.5 ms per contact; 0 lost (contacts = $TOTAL) and 0 duplicated (created = $TOTAL)"
