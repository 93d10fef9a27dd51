#!/usr/bin/env bash
# Processing benchmark: how fast accepted events become guests, visits, devices and
# consent rows, compared with how fast the inbox accepts them; the current-consent query of a guest
# with 10,000 ledger rows against one with 10; what the per-guest encryption costs per event; and the audit
# log's figures: commit to signed checkpoint under this load, sequencer throughput, and inclusion and consistency
# proof time at a tree of up to AUDIT_LEAVES (1,000,000) leaves built in at most AUDIT_BUILD_SECONDS (120).
# Loopback only; the load is bounded by DURATION and the wait for processing by DRAIN_LIMIT.
#
#   bench/processing/run.sh                       # 30 s of Purple logins at 16 connections
#   DURATION=10 bench/processing/run.sh           # a quicker look
#   WARMUP=60 bench/processing/run.sh             # a longer warm-up load before the measured one (default 10 s)
#   SKIP_BUILD=1 bench/processing/run.sh          # the server as last built (another setting, the same code)
#   MICRO_BENCH=0 bench/processing/run.sh         # the load only: no consent-query, encryption or audit-log measures
#   BENCH_PERF=1 bench/processing/run.sh          # also CPU-time profiles (Linux perf) of the machine and the server: during
#                                                 # the measured load (run/load-cpu.txt) and from its end until processed
#                                                 # (run/drain-cpu.txt)
#   PROFILE_DIR=/tmp/prof bench/processing/run.sh # also a flight recording of the server during the measured load
#                                                 # (after warm-up) and three thread dumps half-way
#   SERVER_JAVA_OPTS="-Xmx512m -XX:+UseSerialGC -XX:+PrintCompilation" bench/processing/run.sh  # the server's JVM options
#                                                 # (these by default; the JVM's own output goes to run/server.log)
#   BASE_REV=<git rev> bench/processing/run.sh    # also that revision, built (mvn package, nothing installed) in a temporary
#                                                 # git worktree that is removed afterwards, under the same load first;
#                                                 # one table shows both and their ratio
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DURATION=${DURATION:-30}
WARMUP=${WARMUP:-10}
CONNECTIONS=${CONNECTIONS:-16}
DRAIN_LIMIT=${DRAIN_LIMIT:-900}
PORT=${PORT:-18490}
WORK=$ROOT/bench/processing/target/run
LAUNCHER=$ROOT/modules/launcher/target/guestbridge-launcher.jar
SERVER_OPTS=${SERVER_JAVA_OPTS:--Xmx512m -XX:+UseSerialGC}

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
command -v jq >/dev/null || { apt-get update -qq && apt-get install -y -qq jq >/dev/null; }

cd "$ROOT"
source "$ROOT/bench/lib.sh" # the CPU profile; its EXIT trap is replaced below
source "$ROOT/bench/base.sh"
echo "building (mvn install, then the benchmark classes)…" >&2
[ "${SKIP_BUILD:-0}" = 1 ] || mvn -q -DskipTests install
MICRO=${MICRO_BENCH:-1}
if [ "$MICRO" = 1 ]; then
    mvn -q -f bench/processing/pom.xml package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
    CP=$ROOT/bench/processing/target/classes:$(cat bench/processing/target/classpath.txt)
fi

# The load against one build: its launcher (and through it its war) from the tree $1, its files under $2, a flight
# recording into $3 when set; the figures go to $2/results.env.
measure() {
    local LAUNCHER=$1/modules/launcher/target/guestbridge-launcher.jar WORK=$2 PROFILE=${3:-}
    rm -rf "$WORK" && mkdir -p "$WORK"
    GUESTBRIDGE_HOME=$WORK/home HTTP_PORT=$PORT HTTPS_PORT=0 SERVER_JAVA_OPTS="$SERVER_OPTS" \
        java -jar "$LAUNCHER" >"$WORK/server.log" 2>&1 &
    SERVER=$!
    trap 'kill -TERM $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; bench_base_remove' EXIT
    for _ in $(seq 240); do
        grep -q 'guestbridge is ready' "$WORK/server.log" && break
        kill -0 $SERVER 2>/dev/null || { tail -50 "$WORK/server.log" >&2; exit 1; }
        sleep 1
    done
    grep -q 'guestbridge is ready' "$WORK/server.log" || { echo "server not ready" >&2; exit 1; }
    API=http://127.0.0.1:$PORT/api/v1
    token() { GUESTBRIDGE_HOME=$WORK/home java -jar "$LAUNCHER" token "$1"; }
    INTEGRATION=$(token integration); OPERATOR=$(token operator); DPO=$(token dpo)

    KEY=$(curl -sf -H "Authorization: Bearer $INTEGRATION" -H 'Content-Type: application/json' \
        -d '{"kind":"PURPLE","name":"benchmark","timeZone":"Europe/London"}' "$API/sources" | jq -r .key)
    # the portal's wordings, published and configured on the venue, so every login also writes consent rows
    for w in 'portal-terms","version":"1","purpose":"terms' 'portal-marketing","version":"1","purpose":"marketing_email'; do
        curl -sf -o /dev/null -H "Authorization: Bearer $DPO" -H 'Content-Type: application/json' \
            -d "{\"id\":\"$w\",\"language\":\"en\",\"text\":\"Benchmark wording.\"}" "$API/consent/wordings"
    done
    BODY=$(sed 's/"webhook@test.com"/"bench-warmup@example.com"/' "$ROOT/modules/app/src/test/resources/fixtures/purple-webhook-as-documented.json")
    curl -sf -o /dev/null -H 'Content-Type: application/json' -d "$BODY" "$API/ingest/purple/$KEY"
    sleep 3
    VENUE=$(curl -sf -H "Authorization: Bearer $OPERATOR" "$API/venues" | jq -r '.[] | select(.ref=="purple:888") | .id')
    curl -sf -o /dev/null -X PATCH -H "Authorization: Bearer $OPERATOR" -H 'Content-Type: application/json' \
        -d '{"terms":{"id":"portal-terms","version":"1"},"marketing":{"id":"portal-marketing","version":"1"}}' "$API/venues/$VENUE"

    # every request a new guest: email and Purple user id from a per-thread counter; marketing opt-in set
    TEMPLATE=$(sed -e 's/"webhook@test.com"/"bench-%s@example.com"/' -e 's/"id":888,"lastName"/"id":"%s","lastName"/' \
        -e 's/"provider":"Facebook"/"provider":"Facebook","marketingConsent":true/' \
        -e 's/2018-01-18T13:27:08+0000/2026-11-24T10:00:00+0000/' "$ROOT/modules/app/src/test/resources/fixtures/purple-webhook-as-documented.json" \
        | sed 's/"/\\"/g')
    cat >"$WORK/logins.lua" <<LUA
    local counter = 0
    -- seeded by the clock: unseeded, the measured run drew the warm-up's numbers again, and a third of its logins
    -- were the warm-up's events over again (DUPLICATE rows, no guest work)
    math.randomseed(os.time())
    local prefix = tostring(math.random(1, 1000000000))
    setup = function(thread) thread:set("tid", tostring(math.random(1, 1000000000))) end
    request = function()
      counter = counter + 1
      local id = prefix .. "-" .. (tid or "0") .. "-" .. counter
      local body = string.format("$TEMPLATE", id, id)
      return wrk.format("POST", "/api/v1/ingest/purple/$KEY", {["Content-Type"] = "application/json"}, body)
    end
LUA
    # a warm-up of intake and processing, then wait until it is processed: the JIT compilers work through Payara's and
    # our code for the first minute or two of load, and while they do they take most of a core from the work measured
    wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" -s "$WORK/logins.lua" "http://127.0.0.1:$PORT" >/dev/null
    pending() { curl -sf -H "Authorization: Bearer $OPERATOR" "$API/queues" | jq '[.[] | select(.queue=="ingestion-inbox") | .pending] | add // 0'; }
    for _ in $(seq "$DRAIN_LIMIT"); do [ "$(pending)" = 0 ] && break; sleep 1; done

    sql() { bench_db guestbridge -e "$1"; }
    AUDIT_BEFORE=$(sql 'SELECT COALESCE(MAX(id), 0) FROM aud_record' 2>/dev/null || echo '')
    SERVER_JVM=$(pgrep -P "$SERVER" -f payara-micro | head -1 || true)
    if [ -n "$PROFILE" ] && [ -n "$SERVER_JVM" ]; then
        mkdir -p "$PROFILE"
        jcmd "$SERVER_JVM" JFR.start name=bench settings=profile duration="$((DURATION + 5))s" filename="$PROFILE/server.jfr" >/dev/null
        # the database's statement and row counters before and after, and its lock state half-way
        sql 'SHOW GLOBAL STATUS' >"$PROFILE/status-before.txt" || true
        ( sleep "$((DURATION / 2))"; for i in 1 2 3; do jcmd "$SERVER_JVM" Thread.print >"$PROFILE/threads-$i.txt"; sleep 1; done
          sql 'SHOW ENGINE INNODB STATUS\G' >"$PROFILE/innodb.txt" 2>&1 || true ) &
    fi
    # CPU time the server and the database spend per event: unlike the rates, it hardly moves when something else shares the cores
    DB_PID=$(pgrep -f "$WORK/home/mariadb/base/bin/mariadbd" | head -1 || true)
    ticks() { [ -n "$1" ] && awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
    JVM_TICKS=$(ticks "$SERVER_JVM"); DB_TICKS=$(ticks "$DB_PID")
    PROFILING=0; [ "${BENCH_PERF:-0}" = 1 ] && [ -n "$SERVER_JVM" ] && PROFILING=1
    [ $PROFILING = 1 ] && bench_profile_start "$SERVER_JVM" "$WORK/load-cpu"
    START=$(date +%s.%N)
    wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$WORK/logins.lua" "http://127.0.0.1:$PORT" >"$WORK/wrk.txt"
    LOADED=$(date +%s.%N)
    # the backlog intake left, in events (the queue counts work items, each the rows of one group commit): processing
    # alone drains it, with the cores to itself
    BACKLOG=$(sql "SELECT COUNT(*) FROM ing_inbox WHERE state = 'RECEIVED'" 2>/dev/null || echo n/a)
    [ $PROFILING = 1 ] && { bench_profile_stop; bench_profile_start "$SERVER_JVM" "$WORK/drain-cpu"; }
    REQUESTS=$(awk '/requests in/ {print $1}' "$WORK/wrk.txt")
    ERRORS=$(awk '/Non-2xx/ {print $5}' "$WORK/wrk.txt"); ERRORS=${ERRORS:-0}
    for _ in $(seq "$DRAIN_LIMIT"); do [ "$(pending)" = 0 ] && break; sleep 0.5; done
    DRAINED=$(date +%s.%N)
    JVM_TICKS=$(( $(ticks "$SERVER_JVM") - JVM_TICKS )); DB_TICKS=$(( $(ticks "$DB_PID") - DB_TICKS ))
    [ $PROFILING = 1 ] && bench_profile_stop
    [ -n "$PROFILE" ] && { sql 'SHOW GLOBAL STATUS' >"$PROFILE/status-after.txt" || true; }
    [ "$(pending)" = 0 ] || { echo "processing did not finish within ${DRAIN_LIMIT} s" >&2; exit 1; }
    # commit to signed checkpoint, for the audit records the measured load wrote: from the record's time (taken just before
    # its transaction commits) to the creation of the first checkpoint whose tree holds it; a few seconds for the last ones
    CHECKPOINT_P99=n/a
    if [ -n "$AUDIT_BEFORE" ]; then
        # records wait for their numbers in aud_pending since it exists (and get their id in aud_record as they are
        # numbered), before that in aud_record with seq NULL
        WAITING=0
        sql 'SELECT 1 FROM aud_pending LIMIT 0' >/dev/null 2>&1 && WAITING='(SELECT COUNT(*) FROM aud_pending)'
        for _ in $(seq 20); do
            [ "$(sql "SELECT $WAITING + (SELECT COUNT(*) FROM aud_record WHERE id > $AUDIT_BEFORE AND (seq IS NULL OR seq > (SELECT COALESCE(MAX(tree_size), 0) FROM aud_checkpoint)))")" = 0 ] && break
            sleep 0.5
        done
        sql "SELECT TIMESTAMPDIFF(MICROSECOND, r.occurred_at, (SELECT k.created_at FROM aud_checkpoint k WHERE k.tree_size >= r.seq
             ORDER BY k.tree_size LIMIT 1)) FROM aud_record r WHERE r.id > $AUDIT_BEFORE" | sort -n >"$WORK/checkpoint-latency.txt"
        if [ -s "$WORK/checkpoint-latency.txt" ] && ! grep -q NULL "$WORK/checkpoint-latency.txt"; then
            N=$(wc -l <"$WORK/checkpoint-latency.txt")
            at() { sed -n "$(( ($1 * N + 99) / 100 ))p" "$WORK/checkpoint-latency.txt"; }
            CHECKPOINT_P99="$(( $(at 50) / 1000 )) / $(( $(at 99) / 1000 )) ms (p50 / p99, $N records)"
        fi
    fi
    QUARANTINED=$(curl -sf -H "Authorization: Bearer $OPERATOR" "$API/ingest/quarantine?limit=500" | jq '.items | length')

    INTAKE=$(echo "scale=0; $REQUESTS / ($LOADED - $START)" | bc)
    PROCESSED=$(echo "scale=0; $REQUESTS / ($DRAINED - $START)" | bc)
    DRAIN_RATE=n/a
    [ "$BACKLOG" -gt 0 ] 2>/dev/null && DRAIN_RATE=$(echo "scale=0; $BACKLOG / ($DRAINED - $LOADED)" | bc)
    P99=$(awk '$1=="99%" {print $2}' "$WORK/wrk.txt")

    local CPU_JVM CPU_DB STMTS=n/a
    if [ -n "$PROFILE" ] && [ -s "$PROFILE/status-before.txt" ] && [ -s "$PROFILE/status-after.txt" ]; then
        # statements the database answered per event (every client: intake, processing, queues, audit sequencer)
        STMTS=$(echo "scale=1; ($(awk '$1=="Questions" {print $2}' "$PROFILE/status-after.txt") - $(awk '$1=="Questions" {print $2}' \
            "$PROFILE/status-before.txt")) / $REQUESTS" | bc)
    fi
    CPU_JVM=$(echo "scale=0; $JVM_TICKS * 1000000 / $(getconf CLK_TCK) / $REQUESTS" | bc)
    CPU_DB=$(echo "scale=0; $DB_TICKS * 1000000 / $(getconf CLK_TCK) / $REQUESTS" | bc)
    cat >"$WORK/results.env" <<RESULTS
REQUESTS='$REQUESTS'; INTAKE='$INTAKE'; PROCESSED='$PROCESSED'; P99='$P99'; ERRORS='$ERRORS'; QUARANTINED='$QUARANTINED'
CPU_JVM='$CPU_JVM'; CPU_DB='$CPU_DB'; CHECKPOINT_P99='$CHECKPOINT_P99'; STMTS='$STMTS'; BACKLOG='$BACKLOG'; DRAIN_RATE='$DRAIN_RATE'
RESULTS
    kill -TERM $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true
}

trap bench_base_remove EXIT
if [ -n "${BASE_REV:-}" ]; then
    bench_base_build "$BASE_REV" "$ROOT/bench/processing/target/base-build.log"
    echo "measuring $BASE_REV…" >&2
    measure "$BASE_TREE" "$ROOT/bench/processing/target/run-base" "${PROFILE_DIR:+$PROFILE_DIR/base}"
    BASE_RESULTS=$ROOT/bench/processing/target/run-base/results.env
    bench_base_remove
fi
echo "measuring this build…" >&2
measure "$ROOT" "$WORK" "${PROFILE_DIR:-}"
# shellcheck disable=SC1090,SC1091
. "$WORK/results.env"

CONSENT='consent query benchmark skipped (MICRO_BENCH=0)'
AUDITLOG='auditlog benchmark skipped'
CRYPTO_US=0
if [ "$MICRO" = 1 ]; then
    echo "measuring the current-consent query and the encryption cost…" >&2
    CONSENT=$(java -cp "$CP" io.guestbridge.consent.internal.CurrentConsentBenchmark 10000 2000 2>/dev/null | grep '^consent')
    if [ "${AUDIT_LOG_BENCH:-1}" = 1 ] && [ -f bench/processing/target/classes/io/guestbridge/audit/internal/AuditLogBenchmark.class ]; then
        echo "measuring the audit log: sequencer throughput, proofs at up to ${AUDIT_LEAVES:-1000000} leaves…" >&2
        AUDITLOG=$(java -cp "$CP" io.guestbridge.audit.internal.AuditLogBenchmark "${AUDIT_SEQUENCED:-50000}" "${AUDIT_LEAVES:-1000000}" \
            "${AUDIT_BUILD_SECONDS:-120}" 2000 2>/dev/null | grep '^auditlog' || echo 'auditlog benchmark failed')
    fi
    CRYPTO=$(java -cp "$CP" io.guestbridge.identity.internal.EncryptionCostBenchmark 200000 | grep '^crypto')
    CRYPTO_US=$(echo "$CRYPTO" | sed -E 's/.*per_event_us=([0-9.]+).*/\1/')
fi
EVENT_US=$(echo "scale=1; 1000000 / $PROCESSED" | bc)

echo
echo "guestbridge processing benchmark — $(date -u +%Y-%m-%dT%H:%MZ)"
echo "machine: $(nproc) cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | xargs), $(free -g | awk '/Mem/ {print $2}') GiB;" \
     "server $SERVER_OPTS, embedded MariaDB 11.4, wrk on the same cores"
echo "input: ${DURATION} s of Purple logins at $CONNECTIONS connections, every request a new guest with the portal's terms and a"
echo "       marketing opt-in (2 consent rows, 1 visit, 1 device, ~8 encrypted fields per event); $REQUESTS events"
echo
# one row: its label, then this build's value and, with BASE_REV, the base's and this build's value over it
row() {
    if [ -n "${BASE_RESULTS:-}" ]; then
        local ratio=''
        if [ -n "${4:-}" ] && [[ "$2" =~ ^[0-9.]+$ ]] && [[ "$3" =~ ^[0-9.]+$ ]] && [ "$(echo "$3 > 0" | bc)" = 1 ]; then
            ratio=$(echo "scale=2; $2 / $3" | bc)x
        fi
        printf '%-44s %14s %14s %8s\n' "$1" "$3" "$2" "$ratio"
    else
        printf '%-44s %12s\n' "$1" "$2"
    fi
}
if [ -n "${BASE_RESULTS:-}" ]; then
    # shellcheck disable=SC1090
    BASE=$(. "$BASE_RESULTS"; echo "$REQUESTS|$INTAKE|$PROCESSED|$P99|$ERRORS, $QUARANTINED|$CPU_JVM|$CPU_DB|$CHECKPOINT_P99|$STMTS|$BACKLOG|${DRAIN_RATE:-n/a}")
    IFS='|' read -r B_REQUESTS B_INTAKE B_PROCESSED B_P99 B_ERRORS B_CPU_JVM B_CPU_DB B_CHECKPOINT B_STMTS B_BACKLOG B_DRAIN_RATE <<<"$BASE"
    echo "base: $BASE_REV ($B_REQUESTS events), built and run by this script just before this build; ratio = this build / base"
    printf '%-44s %14s %14s %8s\n' measure "base" "this build" ratio
else
    printf '%-44s %12s\n' measure value
fi
row "inbox intake (durable acks/s)" "$INTAKE" "${B_INTAKE:-}" ratio
row "processed end to end (events/s, same run)" "$PROCESSED" "${B_PROCESSED:-}" ratio
row "backlog when the load ended (events)" "$BACKLOG" "${B_BACKLOG:-}"
row "its drain, processing alone (events/s)" "$DRAIN_RATE" "${B_DRAIN_RATE:-}" ratio
row "processed / intake" "$(echo "scale=2; $PROCESSED / $INTAKE" | bc)" "${B_PROCESSED:+$(echo "scale=2; ${B_PROCESSED:-0} / ${B_INTAKE:-1}" | bc)}"
row "intake p99 while processing" "$P99" "${B_P99:-}"
row "non-2xx answers, quarantined events" "$ERRORS, $QUARANTINED" "${B_ERRORS:-}"
row "processing time per event (us)" "$EVENT_US" "${B_PROCESSED:+$(echo "scale=1; 1000000 / ${B_PROCESSED:-1}" | bc)}" ratio
row "CPU per event: server JVM (us)" "$CPU_JVM" "${B_CPU_JVM:-}" ratio
row "CPU per event: MariaDB (us)" "$CPU_DB" "${B_CPU_DB:-}" ratio
[ "$STMTS" = n/a ] || row "DB statements per event (with PROFILE_DIR)" "$STMTS" "${B_STMTS:-}" ratio
if [ -n "${BASE_RESULTS:-}" ]; then
    printf '%-44s %s\n' "audit record commit to signed checkpoint" "base: $B_CHECKPOINT"
    printf '%-44s %s\n' "" "this build: $CHECKPOINT_P99"
else
    printf '%-44s %s\n' "audit record commit to signed checkpoint" "$CHECKPOINT_P99"
fi
printf '%-44s %12s\n' "encryption work per event (us, this JVM)" "$CRYPTO_US"
printf '%-44s %12s\n' "encryption share of processing" "$(echo "scale=1; 100 * $CRYPTO_US / $EVENT_US" | bc)%"
printf '%-44s %12s\n' "events/s without encryption (projected)" "$(echo "scale=0; 1000000 / ($EVENT_US - $CRYPTO_US)" | bc)"
echo
echo "$CONSENT" | sed 's/^/  /'
echo "$AUDITLOG" | sed 's/^/  /'
