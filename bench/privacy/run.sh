#!/usr/bin/env bash
# Erasure benchmark: end-to-end GDPR erasure across this database and 4 healthy systems
# (HubSpot, Salesforce, Mailchimp, Purple; all emulated by one loopback process without rate limits).
#   1. SEQ erasure requests one after another: p50 / p95 / max of completedAt - receivedAt (from the API), after WARMUP
#      unmeasured ones (a fresh server's first erasures run slower while its JIT compiles the path: on a 2-core machine
#      the first 40 took a p50 of 105 ms, requests 201-240 65 ms).
#   2. N erasure requests posted at once (PARALLEL connections): throughput and the slowest completion.
# Before them, IDLE seconds with nothing due: the CPU and statements the server spends looking for work.
# Against the floor: one subject's direct delete calls to the 4 systems (the calls the product makes,
# measured with curl against the same emulator, after the runs, so it is warm too).
# Loopback only; the emulator stops by itself; every wait is bounded; everything started is killed on exit.
#
#   bench/privacy/run.sh                  # N=1000 concurrent, SEQ=50 sequential after WARMUP=200
#   N=100 SEQ=10 WARMUP=0 BURST=0 bench/privacy/run.sh     # a quicker look (cold)
#   BUILD=1 bench/privacy/run.sh          # mvn install first (otherwise the built jars are used as they are)
#   BUDGET=100 STEP_BACKOFF=product bench/privacy/run.sh   # the connectors' default request budget and queue backoff
#   SERVER_ENV="QUEUE_PRIVACY_STEPS_WORKERS=5" bench/privacy/run.sh   # more server settings (NAME=value, space-separated)
#   SERVER_JAVA_OPTS="-Xmx768m -XX:+UseSerialGC -XX:+PrintCompilation" bench/privacy/run.sh   # the server's JVM options
#                                         # (default -Xmx768m -XX:+UseSerialGC; the JVM's own output goes to home/logs/server.log)
#   BENCH_JFR=1 bench/privacy/run.sh      # also a JFR recording (settings=profile) of the server over the concurrent run,
#                                         # to concurrent.jfr in the run's folder (its start costs the server CPU: compare
#                                         # figures without it)
#   BENCH_PERF=1 bench/privacy/run.sh     # also a CPU-time profile (Linux perf) of the server over the concurrent run,
#                                         # to concurrent-cpu.txt in the run's folder (the machine by process; the server by
#                                         # thread, package and method)
#   BASE_REV=<git rev> bench/privacy/run.sh   # first that revision, built (mvn package, nothing installed) in a temporary git
#                                             # worktree that is removed afterwards, measured the same way against the same
#                                             # emulator; then this build; then one table of both and their ratio
# The table goes to target/results.md (the latest run) and target/results-<tag>.md; logs to target/run-<tag>/.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
N=${N:-1000}
SEQ=${SEQ:-50}
WARMUP=${WARMUP:-200}               # sequential erasures before the measured ones, not measured
# erasures posted at once after the sequential warm-up and drained, not measured: the sequential warm-up leaves the
# concurrent path cold, and its JIT compilation took 11 of the server's 37 s of CPU in the measured concurrent run
BURST=${BURST:-300}
POLL=${POLL:-0.05}                  # s between two reads of a sequential request's state (each a curl and a jq process)
[ "$(echo "$POLL > 0" | bc)" = 1 ] || { echo "POLL must be a number of seconds above 0, not '$POLL'" >&2; exit 2; }
PARALLEL=${PARALLEL:-32}
FLOOR=${FLOOR:-20}
IDLE=${IDLE:-15}                    # s of the idle measure, after the sync settled
SYNC_LIMIT=${SYNC_LIMIT:-900}       # s to get every guest into the three CRMs
REQUEST_LIMIT=${REQUEST_LIMIT:-120} # s for one sequential request
DRAIN_LIMIT=${DRAIN_LIMIT:-1200}    # polls (1 s apart, plus their own time) for the N concurrent requests to end
PORT=${PORT:-18600}
DB_PORT=${DB_PORT:-18606}
EMU=${EMU_PORT:-18611}
BUDGET=${BUDGET:-1000000}           # requests per 10 s per connector: generous, so the budget does not pace erasure
STEP_BACKOFF=${STEP_BACKOFF:-300/1500} # privacy-steps backoff base/cap ms; "product" keeps the product's default (1 s / 15 min)
TARGET=$ROOT/bench/privacy/target
SERVER_TREE=${SERVER_TREE:-$ROOT}  # the tree whose launcher and WAR are measured (BASE_REV's worktree for the base run)
TAG=n$N-p$PARALLEL$([ "$WARMUP" = 200 ] || echo "-warmup$WARMUP")$([ "$BURST" = 300 ] || echo "-burst$BURST")$([ "$BUDGET" = 1000000 ] || echo "-budget$BUDGET")$([ "$STEP_BACKOFF" = 300/1500 ] || echo "-backoff-${STEP_BACKOFF//\//-}")$([ "$SERVER_TREE" = "$ROOT" ] || echo "-base")
WORK=$TARGET/run-$TAG
LAUNCHER=$SERVER_TREE/modules/launcher/target/guestbridge-launcher.jar
TOTAL=$((N + SEQ + WARMUP + BURST)) # guests: the sequential ones, the concurrent ones, the warm-up ones, the warm-up burst's

if [ -n "${BASE_REV:-}" ]; then
    source "$ROOT/bench/base.sh"
    trap bench_base_remove EXIT
    bench_base_build "$BASE_REV" "$TARGET/base-build.log"
    echo "measuring $BASE_REV…" >&2
    BASE_REV= SERVER_TREE=$BASE_TREE bash "$0" >/dev/null
    bench_base_remove
    echo "measuring this build…" >&2
    BASE_REV= bash "$0" >/dev/null
    bash "$ROOT/bench/privacy/compare.sh" "$BASE_REV" "$TARGET/results-$TAG-base.md" "$TARGET/results-$TAG.md" | tee "$TARGET/comparison-$TAG.md"
    exit 0
fi
command -v jq >/dev/null || { apt-get update -qq && apt-get install -y -qq jq >/dev/null; }
command -v bc >/dev/null || { apt-get update -qq && apt-get install -y -qq bc >/dev/null; }

cd "$ROOT"
source "$ROOT/bench/lib.sh"
bench_build
EMU_MAIN=io/guestbridge/crmemulator/PrivacyBenchmarkMain
[ modules/crm-emulator/target/classes/$EMU_MAIN.class -nt modules/crm-emulator/src/main/java/$EMU_MAIN.java ] \
    || mvn -q -o -pl modules/crm-emulator compile
[ -f modules/crm-emulator/target/classpath.txt ] \
    || mvn -q -f modules/crm-emulator/pom.xml dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
EMU_CP=$ROOT/modules/crm-emulator/target/classes:$(cat modules/crm-emulator/target/classpath.txt)
rm -rf "$WORK" && mkdir -p "$WORK/seq" "$WORK/post" "$WORK/view" "$WORK/floor"


# ---------------------------------------------------------------- 1. the emulator
LIFETIME=$((SYNC_LIMIT + (SEQ + WARMUP) * REQUEST_LIMIT / 10 + 2 * DRAIN_LIMIT + 600))
java -Xmx512m -cp "$EMU_CP" io.guestbridge.crmemulator.PrivacyBenchmarkMain $EMU $TOTAL $FLOOR $LIFETIME >"$WORK/emulator.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 60); do grep -qs 'emulator ready' "$WORK/emulator.log" && break; sleep 1; done
grep -q 'emulator ready' "$WORK/emulator.log" || { cat "$WORK/emulator.log" >&2; exit 1; }
counter() { tail -1 "$WORK/emulator.log" | sed -nE "s/.* $1=([0-9]+).*/\1/p"; }

# ---------------------------------------------------------------- 2. the server, the guests, the sync
BASE=http://127.0.0.1:$EMU
connector() { # NAME type
    echo "CRM_$1_TYPE=$2 CRM_$1_BASE_URL=$BASE CRM_$1_LINGER_MS=300 CRM_$1_SYNC_WITHOUT_CONSENT=true"
    echo "CRM_$1_RATE_LIMIT_REQUESTS=$BUDGET CRM_$1_RATE_LIMIT_WINDOW_MS=10000 CRM_$1_DAILY_LIMIT=100000000"
}
ENVS="OUTBOUND_ALLOW_LOOPBACK=true CRM_CONNECTORS=hubspot-main,salesforce-main,mailchimp-main
$(connector HUBSPOT_MAIN hubspot) CRM_HUBSPOT_MAIN_TOKEN=hubspot-test-token
$(connector SALESFORCE_MAIN salesforce) CRM_SALESFORCE_MAIN_CLIENT_ID=sf-client CRM_SALESFORCE_MAIN_CLIENT_SECRET=sf-secret
$(connector MAILCHIMP_MAIN mailchimp) CRM_MAILCHIMP_MAIN_API_KEY=mc-key-us1 CRM_MAILCHIMP_MAIN_LIST_ID=guests
PRIVACY_CONTROLLER=bench PRIVACY_SYSTEMS=purple-wifi PRIVACY_SYSTEM_PURPLE_WIFI_KIND=purple PRIVACY_SYSTEM_PURPLE_WIFI_BASE_URL=$BASE
PRIVACY_SYSTEM_PURPLE_WIFI_COMPANY_ID=bench-company PRIVACY_SYSTEM_PURPLE_WIFI_TOKEN=purple-test-token
$([ "$STEP_BACKOFF" = product ] || echo "QUEUE_PRIVACY_STEPS_BACKOFF_BASE_MS=${STEP_BACKOFF%/*} QUEUE_PRIVACY_STEPS_BACKOFF_CAP_MS=${STEP_BACKOFF#*/}")
${SERVER_ENV:-}"
echo "$ENVS" >"$WORK/server.env"
# shellcheck disable=SC2086
bench_start_server $ENVS HTTP_PORT=$PORT HTTPS_PORT=0 EMBEDDED_DB_PORT=$DB_PORT SERVER_JAVA_OPTS="${SERVER_JAVA_OPTS:--Xmx768m -XX:+UseSerialGC}"
API=http://127.0.0.1:$PORT/api/v1
token() { GUESTBRIDGE_HOME=$WORK/home java -jar "$LAUNCHER" token "$1"; }
OPERATOR=$(token operator); DPO=$(token dpo); INTEGRATION=$(token integration)
# '?' when the server does not answer (seen while it is overloaded): a wait goes on rather than the script failing
pending() { curl -sf -m 30 -H "Authorization: Bearer $OPERATOR" "$API/queues" | jq --arg q "$1" '[.[] | select(.queue==$q) | .pending] | add // 0' || echo '?'; }
dead() { curl -sf -m 30 -H "Authorization: Bearer $OPERATOR" "$API/queues" | jq --arg q "$1" '[.[] | select(.queue==$q) | .dead] | add // 0' || echo '?'; }

SOURCE=$(curl -sf -H "Authorization: Bearer $OPERATOR" -H 'Content-Type: application/json' \
    -d '{"kind":"GENERIC","name":"privacy bench","timeZone":"Europe/London"}' "$API/sources" | jq -r .source.id)
awk -v n="$TOTAL" 'BEGIN { print "email,first_name,last_name,connect_time,venue_name"; for (i = 0; i < n; i++) printf "privacy-bench-%d@example.com,Jane,Smith,2026-11-24T10:%02d:00Z,Bench Hall\n", i, i % 60 }' >"$WORK/guests.csv"
curl -sf -H "Authorization: Bearer $INTEGRATION" -H 'Content-Type: text/csv' --data-binary @"$WORK/guests.csv" \
    "$API/ingest/imports?source=$SOURCE" | jq -c '{accepted, duplicate, rejected}' >&2
log "waiting until the $TOTAL guests are in HubSpot, Salesforce and Mailchimp…"
T0=$(date +%s)
synced=no
for _ in $(seq "$SYNC_LIMIT"); do
    if [ "$(counter hubspot)" = "$TOTAL" ] && [ "$(counter salesforce)" = "$TOTAL" ] && [ "$(counter mailchimp)" = "$TOTAL" ] \
        && [ "$(pending crm-sync)" = 0 ] && [ "$(pending crm:hubspot-main)" = 0 ] && [ "$(pending crm:salesforce-main)" = 0 ] \
        && [ "$(pending crm:mailchimp-main)" = 0 ]; then synced=yes; break; fi
    sleep 1
done
[ $synced = yes ] || { echo "sync incomplete after ${SYNC_LIMIT}s: $(tail -1 "$WORK/emulator.log")" >&2; exit 1; }
SYNC_S=$(($(date +%s) - T0))
log "synced in ${SYNC_S}s: $(tail -1 "$WORK/emulator.log")"
sleep 3 # let the last sync bookkeeping settle before erasing

# CPU seconds used by the server (Payara), the database and the emulator: where the concurrent run spends the 2 cores
PAYARA=$(pgrep -P "$SERVER" -f payara-micro | head -1); LAUNCHED=$SERVER; MARIADB=$(pgrep -P "$SERVER" -f mariadbd | head -1); EMULATOR=${PIDS[0]}
cpu() { [ -n "$1" ] && awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f\n", ($14 + $15) / hz }' "/proc/$1/stat" 2>/dev/null || echo 0; }
# the database's row-lock waits, commits, fsyncs and statements (the embedded server's own client, by its socket)
dbstat() { bench_db -e "SHOW GLOBAL STATUS WHERE Variable_name IN
    ('Innodb_row_lock_waits', 'Innodb_row_lock_time', 'Handler_commit', 'Innodb_data_fsyncs', 'Questions')" 2>/dev/null | awk '{ printf "%s ", $2 }' || true; }
# statements the server received and, of them, SET statements (the autocommit switches around transactions, mostly), in that order
setstat() { bench_db -e "SHOW GLOBAL STATUS WHERE Variable_name IN
    ('Questions', 'Com_set_option')" 2>/dev/null | awk '{ v[$1] = $2 } END { printf "%s %s ", v["Questions"], v["Com_set_option"] }' || true; }

# ---------------------------------------------------------------- idle: what the server costs while nothing is due
log "idle: ${IDLE}s with nothing due…"
I0="$(cpu "$PAYARA") $(cpu "$MARIADB") $(dbstat)"
sleep "$IDLE"
I1="$(cpu "$PAYARA") $(cpu "$MARIADB") $(dbstat)"
# fields: server, database CPU, then the status values in name order (Handler_commit, Innodb_data_fsyncs, Innodb_row_lock_time, Innodb_row_lock_waits, Questions)
IDLE_USE=$(echo "$I0 $I1 $IDLE" | awk 'NF == 15 { printf "server %.0f ms and database %.0f ms of CPU per second, %.0f statements, %.0f commits and %.1f fsyncs per second", \
    1000 * ($8 - $1) / $15, 1000 * ($9 - $2) / $15, ($14 - $7) / $15, ($10 - $3) / $15, ($11 - $4) / $15 }')
log "idle: ${IDLE_USE:-not read}"

# ---------------------------------------------------------------- helpers for the figures
# Instants from the API (ISO-8601, UTC, optional fraction) to epoch milliseconds
JQ_MS='def ms: capture("^(?<s>[^.Z]+)(\\.(?<f>[0-9]+))?Z$") as $c | ((($c.s + "Z") | fromdateiso8601) * 1000) + ((($c.f // "") + "000")[0:3] | tonumber);'
# one line per request: id state received_ms completed_ms latency_ms steps confirmed failed max_attempts not_found local_confirmed_ms
ROW="$JQ_MS"' [.id, .state, (.receivedAt | ms), (if .completedAt then (.completedAt | ms) else -1 end),
    (if .completedAt then ((.completedAt | ms) - (.receivedAt | ms)) else -1 end), (.steps | length),
    ([.steps[] | select(.state == "CONFIRMED")] | length), ([.steps[] | select(.state == "FAILED")] | length),
    ([.steps[].attempts] | max), ([.steps[] | select(.system != "local")
        | select((.evidence // "") | test("status 404|not-found|no visitor held|already gone"))] | length),
    ([.steps[] | select(.system == "local") | .confirmedAt | select(. != null) | ms] | first // -1)] | @tsv'
pct() { # p file(one number a line) -> nearest-rank percentile
    sort -n "$2" | awk -v p="$1" '{ v[NR] = $1 } END { if (NR == 0) { print "-"; exit } k = int((p * NR + 99) / 100); if (k < 1) k = 1; print v[k] }'
}
TERMINAL='^(COMPLETED|PARTIALLY_COMPLETED|REJECTED|CANCELLED|EXPIRED)$'

# ---------------------------------------------------------------- 3. sequential latency
# one erasure of guest $1, polled every POLL seconds until it ends; its last view in $2
erase() {
    local id state
    id=$(curl -sf -H "Authorization: Bearer $DPO" -H 'Content-Type: application/json' \
        -d "{\"type\":\"ERASURE\",\"email\":\"privacy-bench-$1@example.com\",\"verifiedBy\":\"bench\"}" "$API/privacy/requests" | jq -r .id || true)
    [ -n "$id" ] && [ "$id" != null ] || { echo "request $1 was not accepted" >&2; exit 1; }
    state=
    for _ in $(seq "$(echo "$REQUEST_LIMIT / $POLL" | bc)"); do
        curl -sf -H "Authorization: Bearer $DPO" "$API/privacy/requests/$id" >"$2" || true
        state=$(jq -r '.state // empty' "$2" 2>/dev/null || true)
        [[ $state =~ $TERMINAL ]] && break
        sleep "$POLL"
    done
    [[ $state =~ $TERMINAL ]] || { echo "sequential request $1 ($id) not ended after ${REQUEST_LIMIT}s: $state" >&2; exit 1; }
}
if [ "$WARMUP" -gt 0 ]; then
    log "warm-up: $WARMUP erasures one after another, not measured…"
    mkdir -p "$WORK/warm"
    for i in $(seq $((N + SEQ)) $((N + SEQ + WARMUP - 1))); do erase "$i" "$WORK/warm/$i.json"; done
fi
# a curl config posting an erasure for each guest FROM..TO over PARALLEL connections, each answer into DIR
post_config() {
    for i in $(seq "$1" "$2"); do
        [ "$i" = "$1" ] || echo next # between operations only: an empty last one aborts every transfer
        printf 'url = "%s"\nheader = "Authorization: Bearer %s"\nheader = "Content-Type: application/json"\n' "$API/privacy/requests" "$DPO"
        printf 'data = "{\\"type\\":\\"ERASURE\\",\\"email\\":\\"privacy-bench-%d@example.com\\",\\"verifiedBy\\":\\"bench\\"}"\n' "$i"
        printf 'output = "%s"\nmax-time = 120\nwrite-out = "%%{http_code} %%{time_total} %%{errormsg}\\n"\n' "$3/$i.json"
    done
}
# until no request is open and no step is queued, at most LIMIT polls a second apart; "yes", or why not
wait_drained() {
    local open steps idle=0
    for s in $(seq "$1"); do
        open=$(curl -sf -m 30 -H "Authorization: Bearer $DPO" "$API/privacy/requests?state=open&limit=1" | jq length || echo '?')
        steps=$(pending privacy-steps)
        if [ "$open" = 0 ] && [ "$steps" = 0 ]; then echo yes; return; fi
        # requests still open with no step work queued for 30 s: stuck (e.g. a dead work item), not slow
        if [ "$steps" = 0 ]; then idle=$((idle + 1)); else idle=0; fi
        [ $idle -ge 30 ] && { echo "no: requests open with no step queued for 30 s"; return; }
        [ $((s % 10)) = 0 ] && log "  ${s}s: steps pending $steps; emulator: $(tail -1 "$WORK/emulator.log")"
        sleep 1
    done
    echo "no: still open after $1 polls"
}
if [ "$BURST" -gt 0 ]; then
    log "warm-up: $BURST erasures posted at once, not measured…"
    mkdir -p "$WORK/burst"
    post_config $((N + SEQ + WARMUP)) $((TOTAL - 1)) "$WORK/burst" >"$WORK/burst.cfg"
    curl -s --no-progress-meter -Z --parallel-max "$PARALLEL" --parallel-immediate -K "$WORK/burst.cfg" >"$WORK/burst-status.txt" 2>&1 || true
    burst_drained=$(wait_drained "$DRAIN_LIMIT")
    [ "$burst_drained" = yes ] || { echo "the warm-up burst did not drain: $burst_drained" >&2; exit 1; }
fi
log "sequential: $SEQ erasures one after another…"
SQ0=$(setstat)
for i in $(seq 0 $((SEQ - 1))); do erase "$i" "$WORK/seq/$i.json"; done
SQ1=$(setstat)
# per request, the benchmark's own polls (a status read every POLL s) included
SEQ_STATEMENTS=$(echo "$SQ0 $SQ1 $SEQ" | awk 'NF == 5 { printf "%.0f statements per request, %.0f of them SET statements", ($3 - $1) / $5, ($4 - $2) / $5 }')
for f in "$WORK"/seq/*.json; do jq -r "$ROW" "$f"; done >"$WORK/seq.tsv"
cut -f5 "$WORK/seq.tsv" >"$WORK/seq-latency.txt"
SEQ_P50=$(pct 50 "$WORK/seq-latency.txt"); SEQ_P95=$(pct 95 "$WORK/seq-latency.txt"); SEQ_MAX=$(pct 100 "$WORK/seq-latency.txt")
SEQ_DONE=$(awk -F'\t' '$2 == "COMPLETED"' "$WORK/seq.tsv" | wc -l)
awk -F'\t' '$11 > 0 { print $11 - $3 }' "$WORK/seq.tsv" >"$WORK/seq-local.txt"
awk -F'\t' '$11 > 0 && $4 > 0 { print $4 - $11 }' "$WORK/seq.tsv" >"$WORK/seq-rest.txt"
SEQ_LOCAL=$(pct 50 "$WORK/seq-local.txt"); SEQ_REST=$(pct 50 "$WORK/seq-rest.txt")
log "sequential: p50 ${SEQ_P50} ms, p95 ${SEQ_P95} ms, max ${SEQ_MAX} ms; $SEQ_DONE / $SEQ completed; ${SEQ_STATEMENTS:-statements not read}"

# ---------------------------------------------------------------- 4. N concurrent requests
log "concurrent: $N erasures posted over $PARALLEL connections…"
post_config "$SEQ" $((SEQ + N - 1)) "$WORK/post" >"$WORK/post.cfg"
CPU0="$(cpu "$PAYARA") $(cpu "$MARIADB") $(cpu "$EMULATOR") $(cpu "$LAUNCHED")"
DB0=$(dbstat)
# what waits for a row lock, sampled twice a second from the first POST until drained: the first words of each waiting
# statement. One client on one connection reads the samples' query from a loop and writes each answer as it comes (a
# client started for every sample took 4 % of a two-core machine from the run it measured). The loop ends when told
# (sampler.stop) or when this script has gone; the client ends with its input
for _ in $(seq $((2 * (DRAIN_LIMIT + 900)))); do
    [ ! -f "$WORK/sampler.stop" ] && kill -0 $$ 2>/dev/null || break
    echo "SELECT LEFT(REGEXP_REPLACE(trx_query, '[[:space:]]+', ' '), 90) FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT';"
    sleep 0.5
done | bench_db --unbuffered >>"$WORK/lockwaits.txt" 2>/dev/null &
SAMPLER=$!; PIDS+=($SAMPLER)
[ "${BENCH_JFR:-0}" = 1 ] && jcmd "$PAYARA" JFR.start name=concurrent settings=profile >/dev/null
[ "${BENCH_PERF:-0}" = 1 ] && bench_profile_start "$PAYARA" "$WORK/concurrent-cpu"
S0=$(date +%s%N)
curl -s --no-progress-meter -Z --parallel-max "$PARALLEL" --parallel-immediate -K "$WORK/post.cfg" >"$WORK/post-status.txt" 2>"$WORK/post-errors.txt" || true
S1=$(date +%s%N)
SUBMIT_MS=$(((S1 - S0) / 1000000))
ACCEPTED=$(grep -c '^201 ' "$WORK/post-status.txt" || true)
log "submitted in ${SUBMIT_MS} ms; $ACCEPTED / $N answered 201"
awk '{ print $2 * 1000 }' "$WORK/post-status.txt" >"$WORK/post-latency.txt"
POST_P50=$(pct 50 "$WORK/post-latency.txt"); POST_P95=$(pct 95 "$WORK/post-latency.txt")

T0=$(date +%s)
drained=$(wait_drained "$DRAIN_LIMIT")
DRAIN_S=$(($(date +%s) - T0))
log "concurrent requests drained=$drained after ${DRAIN_S}s of polling"
[ "${BENCH_JFR:-0}" = 1 ] && jcmd "$PAYARA" JFR.stop name=concurrent filename="$WORK/concurrent.jfr" >/dev/null
[ "${BENCH_PERF:-0}" = 1 ] && bench_profile_stop
curl -sf -m 60 -H "Authorization: Bearer $OPERATOR" "$API/queues" >"$WORK/queues-end.json" || true
touch "$WORK/sampler.stop"; wait $SAMPLER 2>/dev/null || true
CPU1="$(cpu "$PAYARA") $(cpu "$MARIADB") $(cpu "$EMULATOR") $(cpu "$LAUNCHED")"
DB1=$(dbstat)
LOCK_TOP=$(sort "$WORK/lockwaits.txt" 2>/dev/null | uniq -c | sort -rn | head -3 | awk '{ n = $1; $1 = ""; printf "%s%d x \"%s\"", (NR > 1 ? "; " : ""), n, substr($0, 2) }')
DB_USE=$(echo "$DB0 $DB1" | awk 'NF == 10 { printf "%d commits, %d fsyncs, %d row-lock waits totalling %d ms", $6 - $1, $7 - $2, $9 - $4, $8 - $3 }')
WALL=$(echo "scale=1; ($(date +%s%N) - $S0) / 1000000000" | bc)
CPU_USE=$(echo "$CPU0 $CPU1 $WALL" | awk '{ printf "server %.0f s, database %.0f s, emulator %.0f s, launcher (its mail catcher) %.0f s of CPU in %.0f s (x %.2f cores busy)", $5 - $1, $6 - $2, $7 - $3, $8 - $4, $9, ($5 - $1 + $6 - $2 + $7 - $3 + $8 - $4) / $9 }')
sleep 2 # one more emulator counter line after the last deletion
# the ids are read only now, after the figures above: a thousand jq processes took both cores for half a minute
for i in $(seq "$SEQ" $((SEQ + N - 1))); do jq -r '.id // empty' "$WORK/post/$i.json" 2>/dev/null || true; done >"$WORK/ids.txt"
[ "$(wc -l <"$WORK/ids.txt")" = "$N" ] || echo "only $(wc -l <"$WORK/ids.txt") request ids of $N" >&2
# every request's view, fetched once all have ended (so fetching does not load the server during the run)
first=yes
while read -r id; do
    [ $first = yes ] || echo next
    first=no
    printf 'url = "%s"\nheader = "Authorization: Bearer %s"\noutput = "%s"\n' "$API/privacy/requests/$id" "$DPO" "$WORK/view/$id.json"
done <"$WORK/ids.txt" >"$WORK/view.cfg"
curl -s --no-progress-meter -Z --parallel-max 4 -K "$WORK/view.cfg" >/dev/null 2>&1 || true
for f in "$WORK"/view/*.json; do jq -r "$ROW" "$f"; done >"$WORK/conc.tsv"
cut -f5 "$WORK/conc.tsv" | awk '$1 >= 0' >"$WORK/conc-latency.txt"
C_P50=$(pct 50 "$WORK/conc-latency.txt"); C_P95=$(pct 95 "$WORK/conc-latency.txt"); C_MAX=$(pct 100 "$WORK/conc-latency.txt")
C_DONE=$(awk -F'\t' '$2 == "COMPLETED"' "$WORK/conc.tsv" | wc -l)
C_FIRST=$(awk -F'\t' 'NR == 1 || $3 < m { m = $3 } END { printf "%.0f\n", m }' "$WORK/conc.tsv")
C_LAST=$(awk -F'\t' '$4 > m { m = $4 } END { printf "%.0f\n", m }' "$WORK/conc.tsv")
C_SPAN=$((C_LAST - C_FIRST))
C_TPUT=$(echo "scale=1; $C_DONE * 1000 / $C_SPAN" | bc)
# the warm-up's requests are checked too: a warm-up that failed would have measured something else
for f in "$WORK"/warm/*.json; do if [ -f "$f" ]; then jq -r "$ROW" "$f"; fi; done >"$WORK/warm.tsv"
ALL=$(cat "$WORK/warm.tsv" "$WORK/seq.tsv" "$WORK/conc.tsv")
FAILED_STEPS=$(echo "$ALL" | awk -F'\t' '{ s += $8 } END { print s + 0 }')
UNCONFIRMED=$(echo "$ALL" | awk -F'\t' '{ s += $6 - $7 } END { print s + 0 }')
STEPS_EACH=$(echo "$ALL" | cut -f6 | sort -u | tr '\n' ' ')
RETRIED=$(echo "$ALL" | awk -F'\t' '$9 > 1' | wc -l)
ABSENT=$(echo "$ALL" | awk -F'\t' '{ s += $10 } END { print s + 0 }')
BUDGET_WAITS=$(cat "$WORK"/warm/*.json "$WORK"/seq/*.json "$WORK"/view/*.json 2>/dev/null | grep -c 'request budget spent' || true)
REMAIN="hubspot $(counter hubspot), salesforce $(counter salesforce), mailchimp $(counter mailchimp), purple $(counter purple)"
VIOLATIONS=$(counter violations)
log "concurrent: $C_DONE / $N completed; p50 $C_P50 ms, p95 $C_P95 ms, slowest $C_MAX ms; span $C_SPAN ms; $C_TPUT requests/s"

# ---------------------------------------------------------------- 5. the floor: direct delete calls, one subject
log "floor: direct delete calls to the 4 systems for $FLOOR subjects…"
SF=$(curl -sf -d 'grant_type=client_credentials&client_id=sf-client&client_secret=sf-secret' "$BASE/services/oauth2/token" | jq -r .access_token)
MC=$(printf 'bench:mc-key-us1' | base64)
t() { curl -s -o "$WORK/floor/last" -w '%{http_code} %{time_total}\n' "$@"; }
for j in $(seq 0 $((FLOOR - 1))); do
    e="privacy-floor-$j@example.com"; h=$(printf %s "$e" | md5sum | cut -c1-32)
    # set-up, not timed: the subject in the three CRMs (Purple has it from the emulator's seed)
    curl -sf -o /dev/null -H 'Authorization: Bearer hubspot-test-token' -H 'Content-Type: application/json' \
        -d "{\"inputs\":[{\"id\":\"$e\",\"idProperty\":\"email\",\"properties\":{\"email\":\"$e\",\"firstname\":\"Jane\",\"lastname\":\"Smith\"}}]}" \
        "$BASE/crm/v3/objects/contacts/batch/upsert"
    curl -sf -o /dev/null -X PATCH -H "Authorization: Bearer $SF" -H 'Content-Type: application/json' \
        -d "{\"allOrNone\":false,\"records\":[{\"attributes\":{\"type\":\"Contact\"},\"Email\":\"$e\",\"FirstName\":\"Jane\",\"LastName\":\"Smith\"}]}" \
        "$BASE/services/data/v60.0/composite/sobjects/Contact/Email"
    curl -sf -o /dev/null -X PUT -H "Authorization: Basic $MC" -H 'Content-Type: application/json' \
        -d "{\"email_address\":\"$e\",\"status_if_new\":\"subscribed\",\"merge_fields\":{\"FNAME\":\"Jane\"}}" "$BASE/3.0/lists/guests/members/$h"
    # timed: the calls the connectors and the Purple step make for one subject
    hs=$(t -H 'Authorization: Bearer hubspot-test-token' -H 'Content-Type: application/json' \
        -d "{\"objectId\":\"$e\",\"idProperty\":\"email\"}" "$BASE/crm/v3/objects/contacts/gdpr-delete")
    q=$(jq -rn --arg q "SELECT Id FROM Contact WHERE Email = '$e'" '$q | @uri')
    sf1=$(t -H "Authorization: Bearer $SF" "$BASE/services/data/v60.0/query?q=$q")
    sid=$(jq -r '.records[0].Id' "$WORK/floor/last")
    sf2=$(t -X DELETE -H "Authorization: Bearer $SF" "$BASE/services/data/v60.0/composite/sobjects?ids=$sid&allOrNone=false")
    mc=$(t -X POST -H "Authorization: Basic $MC" "$BASE/3.0/lists/guests/members/$h/actions/delete-permanent")
    p1=$(t -H 'Authorization: Bearer purple-test-token' "$BASE/api/company/v1/bench-company/visitors?email=$e")
    vid=$(jq -r '.data.visitors[0].id' "$WORK/floor/last")
    p2=$(t -X DELETE -H 'Authorization: Bearer purple-test-token' "$BASE/api/company/v1/bench-company/visitors/$vid")
    echo "$hs|$sf1|$sf2|$mc|$p1|$p2" | awk -F'|' '{ ok = 1; for (i = 1; i <= 6; i++) { split($i, a, " "); if (a[1] !~ /^20[04]$/) ok = 0; t[i] = a[2] * 1000 }
        printf "%d\t%.3f\t%.3f\t%.3f\t%.3f\n", ok, t[1], t[2] + t[3], t[4], t[5] + t[6] }'
done >"$WORK/floor.tsv"
FLOOR_OK=$(awk -F'\t' '$1 == 1' "$WORK/floor.tsv" | wc -l)
for k in 2 3 4 5; do cut -f$k "$WORK/floor.tsv" >"$WORK/floor-$k.txt"; done
F_HS=$(pct 50 "$WORK/floor-2.txt"); F_SF=$(pct 50 "$WORK/floor-3.txt"); F_MC=$(pct 50 "$WORK/floor-4.txt"); F_PU=$(pct 50 "$WORK/floor-5.txt")
F_SUM=$(echo "$F_HS + $F_SF + $F_MC + $F_PU" | bc)

# ---------------------------------------------------------------- the table
ratio() { echo "scale=1; $1 / $F_SUM" | bc; }
{
echo "## guestbridge erasure benchmark — $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "build: $(git -C "$SERVER_TREE" rev-parse --short HEAD)$([ "$SERVER_TREE" = "$ROOT" ] && [ -n "$(git -C "$ROOT" status --porcelain -- modules)" ] && echo " with uncommitted changes"), WAR built $(date -u -r "$SERVER_TREE/modules/app/target/guestbridge.war" +%Y-%m-%dT%H:%M:%SZ) (the server deploys the WAR)."
echo "machine: $(nproc) cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | xargs), $(awk '/MemTotal/ {printf "%.0f GiB RAM", $2 / 1048576}' /proc/meminfo);"
echo "server ${SERVER_JAVA_OPTS:--Xmx768m -XX:+UseSerialGC} on the embedded MariaDB; the emulator (one process for all 4 systems), curl and the server share the cores."
echo
echo "input: $TOTAL guests imported by CSV and synced to HubSpot, Salesforce and Mailchimp (${SYNC_S} s), each also a Purple visitor;"
echo "$WARMUP sequential erasures and $BURST posted at once to warm the server up (not measured), $SEQ measured sequential ones, then $N concurrent ones ($PARALLEL connections);"
echo "erasure steps per request: $STEPS_EACH(local + 3 CRMs + Purple)."
echo
echo "| run | requests | p50 ms | p95 ms | slowest ms | p50 / floor | throughput | notes |"
echo "|---|---:|---:|---:|---:|---:|---:|---|"
echo "| sequential, one at a time | $SEQ | $SEQ_P50 | $SEQ_P95 | $SEQ_MAX | $(ratio "$SEQ_P50") x | – | $SEQ_DONE completed |"
echo "| $N concurrent | $N | $C_P50 | $C_P95 | $C_MAX | $(ratio "$C_P50") x | $C_TPUT req/s | $C_DONE completed; first receipt to last completion $C_SPAN ms; posted in $SUBMIT_MS ms (POST p50 $POST_P50 ms, p95 $POST_P95 ms) |"
echo "| floor: direct calls for one subject | 1 | $F_SUM | – | – | 1 x | – | median of $FLOOR subjects: HubSpot gdpr-delete $F_HS + Salesforce query+delete $F_SF + Mailchimp delete-permanent $F_MC + Purple lookup+delete $F_PU ms ($FLOOR_OK / $FLOOR all 2xx) |"
echo
echo "Times per request are completedAt − receivedAt as the API reports them. Sequential, p50: receipt to the local step confirmed"
echo "$SEQ_LOCAL ms, local step confirmed to the last of the 4 systems confirmed $SEQ_REST ms. The database received ${SEQ_STATEMENTS:-(not read)}"
echo "(the autocommit switches around transactions, mostly), everything the database received meanwhile counted: the benchmark's"
echo "own status polls (one each $POLL s) and the server's background looks for work included."
echo "Idle, ${IDLE} s after the sync settled, nothing due (the queues' workers looking for work): ${IDLE_USE:-not read}."
echo "Concurrent run, from the first POST to the end of polling: $CPU_USE; database: ${DB_USE:-not read}."
echo "Statements most often found waiting for a row lock (sampled every 500 ms, posting and draining): ${LOCK_TOP:-none}."
echo "Checks (warm-up, sequential and concurrent requests): left in the emulated systems after the runs: $REMAIN (of $TOTAL each); failed steps $FAILED_STEPS; steps not confirmed $UNCONFIRMED;"
echo "CRM/Purple steps that found the subject already absent $ABSENT; requests with a step retried $RETRIED; request-budget waits $BUDGET_WAITS;"
echo "dead privacy-steps work items $(dead privacy-steps); HubSpot contract violations $VIOLATIONS; concurrent run drained: $drained;
server errors while posting: $(grep -vc '^201 ' "$WORK/post-status.txt" || true) of $N (incidents in server.log: $(grep -c "incident [0-9a-f-]* on " "$WORK/server.log" || true))."
echo
echo "Notes: the emulator has no rate limits (Mailchimp's default cap of 10 concurrent connections stays; erasure uses at most 4, the"
echo "privacy-steps workers). The connectors' own request budgets (crm.<name>.rate-limit-requests, default 100 per 10 s per connector, paced"
echo "one request per 100 ms) would throttle erasure: they are set to $BUDGET per 10 s here. No SMTP server is configured, so the"
echo "launcher's mail catcher takes the notices (each request's outcome to its subject: $(find "$WORK/home/mail" -name '*.eml' 2>/dev/null | wc -l) mails in all). Queue polling is the product's default (250 ms); privacy-steps backoff (base/cap ms): $STEP_BACKOFF."
echo "The emulator sets TCP_NODELAY (sun.net.httpserver.nodelay): without it every response with a body on a kept-alive connection"
echo "waits ~40 ms for the client's delayed ACK (Purple lookup/delete, Salesforce query/delete), an emulator cost, not the product's."
} | tee "$TARGET/results.md"
cp "$TARGET/results.md" "$TARGET/results-$TAG.md"
