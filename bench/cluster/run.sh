#!/usr/bin/env bash
# Cluster benchmark: guestbridge on deploy/cluster's topology (3 MariaDB Galera nodes, HAProxy checking
# /health/ready, the launcher's instances), all on 127.0.0.1 and on this machine's cores.
#
#   1. throughput with 1 instance, then with 2, on the same Galera cluster behind the same HAProxy, in one run (the
#      1 instance measured first connected to the nodes directly, then started again through the database's HAProxy):
#      Purple's documented payload (every request a new guest) by wrk at CONNECTIONS connections for DURATION s
#      after WARMUP s, then a bounded wait (DRAIN_LIMIT) until the inbox rows of the measured load are processed;
#      durable acks/s with p50/p99, events processed end to end per second (from the database), and the CPU the
#      instances' server JVMs and each Galera node spent per event (/proc/<pid>/stat over the measured window);
#   2. failover under a steady paced load through HAProxy (FAILOVER_RATE events/s for FAILOVER_DURATION s):
#      SIGKILL of instance 1 (launcher and server), then SIGKILL of the Galera node the instances write to;
#      the time until HAProxy marks the instance DOWN, the longest pause between acknowledgements, the time from
#      the node's kill to the next committed event (from ing_inbox), the acknowledged events missing from the
#      inbox (must be 0), and the time the killed node takes to rejoin (start.sh node N, until Synced).
#
# Everything it starts is stopped when it ends, also on Ctrl-C or TERM; every load is bounded in time.
# Run it alone on the machine (it uses the heavy lock's share of the cores):
#
#   flock /tmp/guestbridge-heavy.lock bash bench/cluster/run.sh                       # about 12-15 minutes
#   DURATION=15 WARMUP=10 FAILOVER_DURATION=45 flock /tmp/guestbridge-heavy.lock bash bench/cluster/run.sh
#
# Settings (environment): DURATION (30), WARMUP (15), CONNECTIONS (16), DRAIN_LIMIT (240 s per wait),
# FAILOVER_DURATION (60), FAILOVER_RATE (200 events/s offered, over FAILOVER_CONNECTIONS=8 connections),
# KILL_INSTANCE_AT (15 s into the failover load), KILL_NODE_AT (35 s), CLUSTER_PORT_BASE (24000: ports
# BASE+10 … BASE+103 on 127.0.0.1), BUILD=1 (mvn package first; also when the launcher is missing), KEEP=1 (keep the
# nodes' data under the work directory; the logs are always kept there).
# shellcheck source-path=SCRIPTDIR/../..
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DURATION=${DURATION:-30}
WARMUP=${WARMUP:-15}
CONNECTIONS=${CONNECTIONS:-16}
DRAIN_LIMIT=${DRAIN_LIMIT:-240}
FAILOVER_DURATION=${FAILOVER_DURATION:-60}
FAILOVER_RATE=${FAILOVER_RATE:-200}
FAILOVER_CONNECTIONS=${FAILOVER_CONNECTIONS:-8}
KILL_INSTANCE_AT=${KILL_INSTANCE_AT:-15}
KILL_NODE_AT=${KILL_NODE_AT:-35}
((KILL_INSTANCE_AT < KILL_NODE_AT && KILL_NODE_AT + 10 <= FAILOVER_DURATION)) ||
    { echo "need KILL_INSTANCE_AT < KILL_NODE_AT and KILL_NODE_AT + 10 <= FAILOVER_DURATION" >&2; exit 2; }
LAUNCHER=$ROOT/modules/launcher/target/guestbridge-launcher.jar
BODY=$ROOT/modules/app/src/test/resources/fixtures/purple-webhook-as-documented.json
STARTED=$(date +%s)

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
command -v jq >/dev/null || { apt-get update -qq && apt-get install -y -qq jq >/dev/null; }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

if [ "${BUILD:-0}" = 1 ] || [ ! -f "$LAUNCHER" ] || [ ! -f "$ROOT/modules/app/target/guestbridge.war" ]; then
    log "building (mvn package, nothing installed)…"
    mkdir -p "$ROOT/bench/cluster/target"
    (cd "$ROOT" && mvn -B -q -o package -DskipTests >"$ROOT/bench/cluster/target/build.log" 2>&1) ||
        { tail -40 "$ROOT/bench/cluster/target/build.log" >&2; exit 1; }
fi

# The topology's work directory: under /tmp, open to every user, because as root the nodes run as the mysql user
# (see deploy/cluster/start.sh), who must reach their data directories.
W=$(mktemp -d /tmp/guestbridge-bench-cluster.XXXXXX)
chmod 755 "$W"
export GUESTBRIDGE_CLUSTER_DIR=$W CLUSTER_PORT_BASE=${CLUSTER_PORT_BASE:-24000} CLUSTER_BALANCER_SLOTS=2
export CLUSTER_LAUNCHER_JAR=$LAUNCHER
OUT=$W/bench
mkdir -p "$OUT"
# node_sql, node_socket, sql_port, running_pid, RUN, LB_PORT: the scripts' own helpers, on the same settings
# shellcheck source=deploy/cluster/cluster.sh
source "$ROOT/deploy/cluster/cluster.sh"
for port in $(sql_port 1) $(sql_port 2) $(sql_port 3) "$LB_PORT" "$(instance_port 1)" "$(instance_port 2)"; do
    ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "port $port is taken: set CLUSTER_PORT_BASE" >&2; exit 2; }
done

BACKGROUND=()
cleanup() {
    local p
    for p in "${BACKGROUND[@]}"; do kill "$p" 2>/dev/null || true; done
    log "stopping the topology…"
    CLUSTER_INSTANCES=2 bash "$ROOT/deploy/cluster/stop.sh" >>"$OUT/scripts.log" 2>&1 || true
    # the nodes' data (their Galera caches take most of a gigabyte); the logs stay, the nodes' error logs too
    cp "$W"/galera/node*.err "$W/logs/" 2>/dev/null || true
    [ "${KEEP:-0}" = 1 ] || rm -rf "$W/galera"
    log "logs in $W (logs/, bench/)"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

now_ms() { date +%s%3N; }
ticks() { if [ -n "${1:-}" ]; then awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; else echo 0; fi; }
pid_of() { running_pid "$1" || true; }
# one statement on the first node that answers (a killed node's socket does not)
sql() {
    local n
    for n in 1 2 3; do
        node_running "$n" || continue
        node_sql "$n" guestbridge -e "SET time_zone = '+00:00'; $1" 2>/dev/null && return 0
    done
    echo "no Galera node answered: $1" >&2
    return 1
}
cluster_script() { bash "$ROOT/deploy/cluster/$1" "${@:2}" >>"$OUT/scripts.log" 2>&1; }

log "starting 3 Galera nodes, their HAProxy, instance 1 (connected to the nodes directly) and HAProxy (slot 2 empty) in $W…"
T0=$(date +%s)
CLUSTER_DB_DIRECT=1 CLUSTER_INSTANCES=1 cluster_script start.sh || { tail -30 "$OUT/scripts.log" >&2; exit 1; }
log "topology up in $(($(date +%s) - T0)) s"
API=http://127.0.0.1:$LB_PORT/api/v1
INTEGRATION=$(GUESTBRIDGE_HOME=$W/instance-1 java -jar "$LAUNCHER" token integration)

# register NAME: a Purple source through HAProxy; sets KEY and SOURCE (its id)
register() {
    local answer
    answer=$(curl -sf -H "Authorization: Bearer $INTEGRATION" -H 'Content-Type: application/json' \
        -d "{\"kind\":\"PURPLE\",\"name\":\"$1\",\"timeZone\":\"Europe/London\"}" "$API/sources")
    KEY=$(jq -r .key <<<"$answer"); SOURCE=$(jq -r .source.id <<<"$answer")
    if [ ${#KEY} -ne 43 ] || [ ${#SOURCE} -ne 36 ]; then echo "could not register a source: $answer" >&2; exit 1; fi
}

# Purple's documented payload, every request a new guest: email and Purple user id from the run, the wrk thread and
# a counter (bench/processing's way), and a recent login time
TEMPLATE=$(sed -e 's/"webhook@test.com"/"bench-%s@example.com"/' -e 's/"id":888,"lastName"/"id":"%s","lastName"/' \
    -e "s/2018-01-18T13:27:08+0000/$(date -u +%Y-%m-%dT%H:%M:%S+0000)/" "$BODY" | sed 's/"/\\"/g')
# lua NAME PREFIX [DELAY_MS] [ACKS_DIR]: the wrk script posting to the source in KEY. It counts the 200 answers
# (printed as "acks N" at the end); with a delay each connection waits that long between requests (a paced load);
# with ACKS_DIR each thread writes "epoch-ms status inbox-id" per answer into ACKS_DIR/acks-<thread>.txt.
lua() {
    cat >"$OUT/$1.lua" <<LUA
local ffi = require("ffi")
ffi.cdef[[ typedef struct { long tv_sec; long tv_usec; } bench_timeval; int gettimeofday(bench_timeval *tv, void *tz); ]]
local tv = ffi.new("bench_timeval")
local function now_ms() ffi.C.gettimeofday(tv, nil); return tonumber(tv.tv_sec) * 1000 + math.floor(tonumber(tv.tv_usec) / 1000) end
local threads, made = {}, 0
local counter, acks_file = 0, nil
acks = 0
setup = function(thread) made = made + 1; thread:set("tid", tostring(made)); table.insert(threads, thread) end
init = function(args)
  if "${4:-}" ~= "" then acks_file = io.open("${4:-}/acks-" .. tid .. ".txt", "w"); acks_file:setvbuf("line") end
end
request = function()
  counter = counter + 1
  local id = "$2-" .. tid .. "-" .. counter
  return wrk.format("POST", "/api/v1/ingest/purple/$KEY", {["Content-Type"] = "application/json"}, string.format("$TEMPLATE", id, id))
end
response = function(status, headers, body)
  if status == 200 then acks = acks + 1 end
  if acks_file then acks_file:write(now_ms(), " ", status, " ", (status == 200 and body:match('"id":%s*(%d+)')) or "-", "\n") end
end
if ${3:-0} > 0 then delay = function() return ${3:-0} end end
done = function(summary, latency, requests)
  local n = 0
  for _, t in ipairs(threads) do n = n + t:get("acks") end
  io.write("acks ", n, "\n")
end
LUA
}

to_ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us$/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v=v*1000}; printf "%.1f", v}'; }
received() { sql "SELECT COUNT(*) FROM ing_inbox WHERE state = 'RECEIVED' AND source_id = '$1'"; }
# drain SOURCE: waits (at most DRAIN_LIMIT s) until no inbox row of the source waits for processing; 1 if some still do
drain() {
    local deadline=$((SECONDS + DRAIN_LIMIT))
    while [ "$(received "$1")" != 0 ]; do
        ((SECONDS < deadline)) || return 1
        sleep 1
    done
}

declare -A R # results: R[name,column]
# throughput COLUMN INSTANCES…: warm-up (own source, drained), then the measured load on a new source and its processing
throughput() {
    local col=$1 i t; shift
    register "warm-up $col"
    lua "warmup-$col" "w$col$$"
    log "[$col] warm-up ${WARMUP} s…"
    wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" -s "$OUT/warmup-$col.lua" "http://127.0.0.1:$LB_PORT" >"$OUT/wrk-warmup-$col.txt"
    drain "$SOURCE" || log "[$col] warm-up not processed within ${DRAIN_LIMIT} s: measuring anyway"
    register "measured $col"
    local measured=$SOURCE
    lua "load-$col" "m$col$$"
    local jvms=() nodes=() jvm0=0 node0=() lb lb0
    for i in "$@"; do jvms+=("$(pid_of "$W/instance-$i/payara/server.pid")"); done
    for i in 1 2 3; do nodes+=("$(pid_of "$RUN/node$i.pid")"); done
    lb=$(pid_of "$RUN/haproxy.pid")
    local dblb dblb0
    dblb=$(pid_of "$RUN/haproxy-db.pid")
    for i in "${jvms[@]}"; do jvm0=$((jvm0 + $(ticks "$i"))); done
    for i in 0 1 2; do node0+=("$(ticks "${nodes[$i]}")"); done
    lb0=$(ticks "$lb")
    dblb0=$(ticks "$dblb")
    log "[$col] measured load ${DURATION} s at $CONNECTIONS connections…"
    wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s --latency -s "$OUT/load-$col.lua" "http://127.0.0.1:$LB_PORT" >"$OUT/wrk-load-$col.txt"
    R[written,$col]=$(written_node)
    local drained=yes
    drain "$measured" || drained="no (DRAIN_LIMIT ${DRAIN_LIMIT} s)"
    t=0; for i in "${jvms[@]}"; do t=$((t + $(ticks "$i"))); done
    local jvm_ticks=$((t - jvm0)) node_ticks=()
    for i in 0 1 2; do node_ticks+=($(($(ticks "${nodes[$i]}") - node0[i]))); done
    local lb_ticks=$(($(ticks "$lb") - lb0)) dblb_ticks=$(($(ticks "$dblb") - dblb0))
    local f=$OUT/wrk-load-$col.txt secs acks
    secs=$(awk '/requests in/ {v=$4; sub(/,$/,"",v); if (v ~ /ms$/) {sub(/ms$/,"",v); v=v/1000} else if (v ~ /m$/) {sub(/m$/,"",v); v=v*60} else sub(/s$/,"",v); print v}' "$f")
    acks=$(awk '$1=="acks" {print $2}' "$f")
    R[acks,$col]=$acks
    R[intake,$col]=$(echo "scale=0; $acks / $secs" | bc)
    R[latency,$col]="$(awk '$1=="50%" {print $2}' "$f" | to_ms) / $(awk '$1=="99%" {print $2}' "$f" | to_ms)"
    R[errors,$col]="$(awk '/Non-2xx/ {n=$5} END {print n+0}' "$f") / $(awk '/Socket errors/ {s=$0; gsub(/[^0-9 ]/,"",s); split(s,a," "); print a[1]+a[2]+a[3]+a[4]; f=1} END {if (!f) print 0}' "$f")"
    # end to end: the measured source's rows processed, from the first one's arrival to the last one's processing
    local row
    row=$(sql "SELECT SUM(state = 'PROCESSED'), SUM(state NOT IN ('PROCESSED', 'RECEIVED')),
        TIMESTAMPDIFF(MICROSECOND, MIN(received_at), MAX(processed_at)) FROM ing_inbox WHERE source_id = '$measured'")
    local processed others span
    read -r processed others span <<<"$row"
    if ! [[ $processed =~ ^[1-9][0-9]*$ && $span =~ ^[1-9][0-9]*$ ]]; then echo "[$col] nothing processed: $row" >&2; exit 1; fi
    R[processed,$col]=$(echo "scale=0; $processed * 1000000 / $span" | bc)
    R[count,$col]="$acks / $processed / $others"
    R[drained,$col]=$drained
    local hz; hz=$(getconf CLK_TCK)
    per() { echo "scale=0; $1 * 1000000 / $hz / $processed" | bc; }
    R[cpu_jvm,$col]=$(per "$jvm_ticks")
    R[cpu_jvm_each,$col]=$(echo "scale=0; ${R[cpu_jvm,$col]} / $#" | bc)
    R[cpu_nodes,$col]="$(per "${node_ticks[0]}") / $(per "${node_ticks[1]}") / $(per "${node_ticks[2]}")"
    local w=$((${R[written,$col]} - 1)) others_sum=0
    R[cpu_written,$col]=$(per "${node_ticks[$w]}")
    for i in 0 1 2; do ((i == w)) || others_sum=$((others_sum + node_ticks[i])); done
    R[cpu_applier,$col]=$(per "$((others_sum / 2))")
    R[cpu_lb,$col]=$(per "$lb_ticks")
    R[cpu_dblb,$col]=$(per "$dblb_ticks")
    log "[$col] ${R[intake,$col]} acks/s (p50 / p99 ${R[latency,$col]} ms), ${R[processed,$col]} processed/s; drained: $drained"
}

# the node the instances write through: most of their connections are on it (Connector/J's sequential mode)
written_node() {
    local n best=1 most=-1 c
    for n in 1 2 3; do
        node_running "$n" || continue
        c=$(node_sql "$n" -e "SELECT COUNT(*) FROM information_schema.processlist WHERE user = 'guestbridge'" 2>/dev/null || echo -1)
        if ((c > most)); then most=$c; best=$n; fi
    done
    echo "$best"
}

log_size() { stat -c %s "$W/logs/haproxy.log"; }
# await_log TEXT SECONDS OFFSET: the epoch ms at which a line holding TEXT was seen in HAProxy's log past OFFSET (its
# size before), polled every 50 ms; nothing if not within SECONDS
await_log() {
    local deadline=$((SECONDS + $2))
    while ((SECONDS < deadline)); do
        if grep -q -F "$1" < <(tail -c +"$(($3 + 1))" "$W/logs/haproxy.log"); then now_ms; return 0; fi
        sleep 0.05
    done
}

# ---- 1. throughput: 1 instance connected to the nodes directly, the same through the database's HAProxy, then 2 ----
# what the database's HAProxy costs: instance 1 starts with Connector/J's sequential URL, and is measured; then it is
# started again through the balancer, and measured the same way (each time fresh, and warmed up by its own warm-up)
restart_instance_1() { # CLUSTER_DB_DIRECT value
    cluster_script stop.sh instance 1
    CLUSTER_DB_DIRECT=$1 CLUSTER_INSTANCES=1 cluster_script start.sh instance 1 || { tail -30 "$OUT/scripts.log" >&2; exit 1; }
    local deadline=$((SECONDS + 30))
    until curl -fs -o /dev/null "http://127.0.0.1:$LB_PORT/health/ready"; do
        ((SECONDS < deadline)) || { echo "HAProxy did not take instance 1 back in" >&2; exit 1; }
        sleep 0.5
    done
}
throughput direct 1
log "restarting instance 1 through the database's HAProxy…"
restart_instance_1 0
throughput 1 1
log "starting instance 2 (HAProxy's second slot)…"
T1=$(date +%s)
FROM=$(log_size)
CLUSTER_INSTANCES=2 cluster_script start.sh instance 2 || { tail -30 "$OUT/scripts.log" >&2; exit 1; }
await_log "Server instances/instance-2 is UP" 30 "$FROM" >"$OUT/instance-2-up"
[ -s "$OUT/instance-2-up" ] || { echo "HAProxy did not take instance 2 in" >&2; exit 1; }
log "instance 2 ready and in HAProxy after $(($(date +%s) - T1)) s"
throughput 2 1 2

# ---- 2. failover under a paced load ----
register "failover"
FAILOVER_SOURCE=$SOURCE
DELAY=$((1000 * FAILOVER_CONNECTIONS / FAILOVER_RATE))
mkdir -p "$OUT/acks"
lua failover "f$$" "$DELAY" "$OUT/acks"
log "failover: ${FAILOVER_DURATION} s at ~$FAILOVER_RATE events/s ($FAILOVER_CONNECTIONS connections, ${DELAY} ms apart); SIGKILL instance 1 at ${KILL_INSTANCE_AT} s, the written node at ${KILL_NODE_AT} s…"
wrk -t2 -c"$FAILOVER_CONNECTIONS" -d"${FAILOVER_DURATION}s" --timeout 10s -s "$OUT/failover.lua" "http://127.0.0.1:$LB_PORT" >"$OUT/wrk-failover.txt" &
LOAD=$!; BACKGROUND+=("$LOAD")
LOAD_AT=$(now_ms)
sleep "$KILL_INSTANCE_AT"
await_log "Server instances/instance-1 is DOWN" 30 "$(log_size)" >"$OUT/instance-1-down" &
DOWN_WATCH=$!; BACKGROUND+=("$DOWN_WATCH")
LAUNCHER_PID=$(pid_of "$RUN/instance-1.pid"); SERVER_PID=$(pid_of "$W/instance-1/payara/server.pid")
INSTANCE_KILLED_AT=$(now_ms)
if [ -z "$LAUNCHER_PID" ] || [ -z "$SERVER_PID" ]; then echo "instance 1 is not running" >&2; exit 1; fi
kill -KILL "$LAUNCHER_PID" "$SERVER_PID"
log "SIGKILLed instance 1 (launcher $LAUNCHER_PID, server $SERVER_PID)"
sleep "$(echo "scale=3; w = $KILL_NODE_AT - ($(now_ms) - $LOAD_AT) / 1000; if (w < 0) w = 0; w" | bc)"
WRITTEN=$(written_node)
NODE_PID=$(pid_of "$RUN/node$WRITTEN.pid")
[ "$(cat "/proc/$NODE_PID/comm" 2>/dev/null)" = mariadbd ] || { echo "node $WRITTEN's pid $NODE_PID is not mariadbd" >&2; exit 1; }
SURVIVOR=$((WRITTEN % 3 + 1))
SURVIVOR_ERR_FROM=$(stat -c %s "$W/galera/node$SURVIVOR.err")
NODE_KILLED_AT=$(now_ms)
kill -KILL "$NODE_PID"
KILL_TOOK=$(($(now_ms) - NODE_KILLED_AT))
log "SIGKILLed Galera node $WRITTEN (pid $NODE_PID), the one the instances wrote to"
wait "$LOAD" || true
wait "$DOWN_WATCH" || true
# the acknowledged ids, and the inbox's rows of the source
cat "$OUT"/acks/acks-*.txt | sort -n -k1,1 >"$OUT/acks.txt"
awk '$2 == 200 {print $3}' "$OUT/acks.txt" | sort -u >"$OUT/acked-ids.txt"
sql "SELECT id FROM ing_inbox WHERE source_id = '$FAILOVER_SOURCE'" | sort -u >"$OUT/inbox-ids.txt"
ACKED=$(awk '$2 == 200' "$OUT/acks.txt" | wc -l)
ACKED_IDS=$(wc -l <"$OUT/acked-ids.txt")
LOST=$(comm -23 "$OUT/acked-ids.txt" "$OUT/inbox-ids.txt" | wc -l)
ROWS=$(wc -l <"$OUT/inbox-ids.txt")
NOT_ACKED=$(awk '$2 != 200' "$OUT/acks.txt" | wc -l)
SOCKET_ERRORS=$(awk '/Socket errors/ {s=$0; gsub(/[^0-9 ]/,"",s); split(s,a," "); print a[1]+a[2]+a[3]+a[4]; f=1} END {if (!f) print 0}' "$OUT/wrk-failover.txt")
# longest pause between consecutive acknowledgements of which the later is after FROM and the earlier before TO
longest_pause() { awk -v from="$1" -v to="$2" '$2 == 200 { if (prev && $1 > from && prev < to && $1 - prev > m) m = $1 - prev; prev = $1 } END {print m+0}' "$OUT/acks.txt"; }
median_pause() { awk '$2 == 200 { if (prev) print $1 - prev; prev = $1 }' "$OUT/acks.txt" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]+0}'; }
DOWN_MS=n/a
[ -s "$OUT/instance-1-down" ] && DOWN_MS=$(($(cat "$OUT/instance-1-down") - INSTANCE_KILLED_AT))
INSTANCE_PAUSE=$(longest_pause "$INSTANCE_KILLED_AT" $((INSTANCE_KILLED_AT + 10000)))
NODE_PAUSE=$(longest_pause "$NODE_KILLED_AT" $((NODE_KILLED_AT + 10000)))
MEDIAN_PAUSE=$(median_pause)
# when wrk's acknowledgements resumed after the node's kill: the end of the longest pause in the 10 s after it
ACKS_RESUMED=$(awk -v k="$NODE_KILLED_AT" '$2 == 200 { if (prev && $1 > k && prev < k + 10000 && $1 - prev > m) { m = $1 - prev; e = $1 - k } prev = $1 }
    END {print (m ? e : "none")}' "$OUT/acks.txt")
# from the database, the committed groups from 5 s before the node's kill to 15 s after (received_at is taken by the
# group commit just before its transaction; one value per group): the longest gap between two of them that ends after
# the kill, i.e. when commits stopped (a group begun in the few ms between the clock read and the kill may still have
# committed on the killed node) and when they resumed on another node
K=$(echo "scale=3; $NODE_KILLED_AT / 1000" | bc)
sql "SELECT DISTINCT ROUND(UNIX_TIMESTAMP(received_at) * 1000) FROM ing_inbox WHERE source_id = '$FAILOVER_SOURCE'
     AND received_at BETWEEN FROM_UNIXTIME($K - 5) AND FROM_UNIXTIME($K + 15) ORDER BY 1" >"$OUT/commits-around-node-kill.txt"
read -r DB_GAP STOPPED RESUMED < <(awk -v k="$NODE_KILLED_AT" '{ if (prev && $1 > k && $1 - prev > m) { m = $1 - prev; a = prev - k; b = $1 - k } prev = $1 }
    END { if (m) print m, a, b; else print "none none none" }' "$OUT/commits-around-node-kill.txt")
# what a surviving node logged: when it suspected the killed one and when the two formed a new primary component
# (its log's clock has 1 s resolution)
galera_after() {
    local line
    line=$(tail -c +"$((SURVIVOR_ERR_FROM + 1))" "$W/galera/node$SURVIVOR.err" | grep -m1 -F "$1" | cut -c1-19)
    if [ -n "$line" ]; then echo "$(($(date -d "$line" +%s) - NODE_KILLED_AT / 1000)) s"; else echo none; fi
}
SUSPECTED=$(galera_after "suspecting node")
PRIMARY=$(galera_after "New COMPONENT: primary = yes")
log "failover: $ACKED acknowledged, $LOST lost; bringing node $WRITTEN back…"

ERR_FROM=$(stat -c %s "$W/galera/node$WRITTEN.err" 2>/dev/null || echo 0)
T2=$(now_ms)
REJOIN=failed
if cluster_script start.sh node "$WRITTEN"; then
    REJOIN="$(echo "scale=1; ($(now_ms) - $T2) / 1000" | bc) s"
    TRANSFER=$(tail -c +"$((ERR_FROM + 1))" "$W/galera/node$WRITTEN.err" | grep -q -i 'IST received\|Receiving IST' && echo IST || echo "no IST: SST or none")
    SIZE=$(node_sql "$WRITTEN" -e "SHOW STATUS LIKE 'wsrep_cluster_size'" | awk '{print $2}')
    REJOIN="$REJOIN ($TRANSFER; Synced, cluster size $SIZE)"
fi

# ---- the table ----
ratio() { if [[ $1 =~ ^[0-9.]+$ && $2 =~ ^[0-9.]+$ ]] && [ "$(echo "$1 > 0" | bc)" = 1 ]; then echo "$(echo "scale=2; $2 / $1" | bc)x"; fi; }
row() { printf '%-52s %16s %16s %7s\n' "$1" "${R[$2,1]}" "${R[$2,2]}" "${3:+$(ratio "${R[$2,1]}" "${R[$2,2]}")}"; }
echo
echo "guestbridge cluster benchmark — $(date -u +%Y-%m-%dT%H:%MZ), build $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD || echo '+changes'), $((($(date +%s) - STARTED) / 60)) min"
echo "machine: $(nproc) cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | xargs), $(free -g | awk '/Mem/ {print $2}') GiB;" \
    "3 Galera nodes ($(mariadbd --version | awk '{print $3}')), HAProxy, the instances (server -Xmx512m) and wrk all on these cores"
echo "input: Purple's documented payload ($(wc -c <"$BODY") bytes), every request a new guest; wrk -t2 -c$CONNECTIONS through HAProxy,"
echo "       ${WARMUP} s warm-up (own source, processed first), ${DURATION} s measured per column; processing waited for at most ${DRAIN_LIMIT} s"
echo
printf '%-52s %16s %16s %7s\n' "throughput" "1 instance" "2 instances" "2/1"
row "intake: durable acks/s" intake ratio
row "intake p50 / p99 (ms)" latency
row "non-2xx / socket errors" errors
row "processed end to end (events/s, first ack→last done)" processed ratio
row "acks / rows PROCESSED / other final states" count
row "all processed within DRAIN_LIMIT" drained
row "written node" written
row "CPU per event: instances' JVMs together (us)" cpu_jvm ratio
row "CPU per event: per instance (us)" cpu_jvm_each
row "CPU per event: DB node 1 / 2 / 3 (us)" cpu_nodes
row "CPU per event: written node / other node avg (us)" cpu_written ratio
row "" cpu_applier
row "CPU per event: HAProxy (us)" cpu_lb
row "CPU per event: the database's HAProxy (us)" cpu_dblb
echo "the 2-instance column shares the same $(nproc) cores as the 1-instance one (with 3 DB nodes, HAProxy and wrk):"
echo "its ratio shows the overhead of a second instance, not scaling."
echo
# the database's HAProxy against none: the first column, and the same instance connected to the nodes directly
drow() { printf '%-52s %16s %16s %7s\n' "$1" "${R[$2,1]}" "${R[$2,direct]}" "${3:+$(ratio "${R[$2,direct]}" "${R[$2,1]}")}"; }
printf '%-52s %16s %16s %7s\n' "1 instance: the database's connections" "through HAProxy" "to the nodes" "ratio"
drow "intake: durable acks/s" intake ratio
drow "intake p50 / p99 (ms)" latency
drow "processed end to end (events/s, first ack→last done)" processed ratio
drow "CPU per event: instance JVM (us)" cpu_jvm ratio
drow "CPU per event: written node (us)" cpu_written ratio
drow "CPU per event: the database's HAProxy (us)" cpu_dblb
echo "(direct: Connector/J's sequential URL, which does not move connections back to node 1 when it returns; see"
echo "deploy/PRODUCTION.md. The ratio is through HAProxy / direct, both measured in this run on the same cores.)"
echo
J=${R[cpu_jvm,2]} WN=${R[cpu_written,2]} AP=${R[cpu_applier,2]}
rate() { if [ "${1:-0}" -gt 0 ]; then echo "scale=0; 1000000 / $1" | bc; else echo n/a; fi; }
PER_CORE=$(rate "$J"); PER_WCORE=$(rate "$WN"); PER_ACORE=$(rate "$AP"); PER_CORE_1=$(rate "${R[cpu_jvm,1]}")
FOUR=n/a INST=n/a
if [ "$PER_WCORE" != n/a ] && [ "$PER_CORE" != n/a ]; then
    FOUR=$(echo "scale=0; 4 * $PER_WCORE" | bc); INST=$(echo "scale=1; $FOUR / (2 * $PER_CORE)" | bc)
fi
echo "scaling estimate on paper (CPU per event of the 2-instance run; latency, locks and Galera's certification round trips"
echo "not counted): an instance core carries ~$PER_CORE events/s of intake and processing (${J} us per event; $PER_CORE_1 in the"
echo "1-instance run, without a second JVM's own background work on the same cores), a core of the"
echo "written node ~$PER_WCORE events/s (${WN} us), a core of another node applying the write sets ~$PER_ACORE events/s (${AP} us)."
echo "So a 4-vCPU write node saturates at ~$FOUR events/s, the load of ~$INST instances of 2 vCPU; beyond that more instances"
echo "add nothing (Galera replicates writes, it does not spread them), and every node needs the write node's CPU and disk."
echo
echo "failover: ${FAILOVER_DURATION} s of ~$FAILOVER_RATE events/s offered through HAProxy (wrk -c$FAILOVER_CONNECTIONS, ${DELAY} ms between requests per connection), 2 instances"
printf '%-78s %s\n' "SIGKILL instance 1 at ${KILL_INSTANCE_AT} s → HAProxy logs it DOWN (check 1 s, fall 3)" "$DOWN_MS ms"
printf '%-78s %s\n' "longest pause between acks in the 10 s after that kill (median pause)" "$INSTANCE_PAUSE ms ($MEDIAN_PAUSE ms)"
printf '%-78s %s\n' "SIGKILL of node $WRITTEN (written) at ${KILL_NODE_AT} s → next event committed (ing_inbox)" "$RESUMED ms"
printf '%-78s %s\n' "  commits stopped at (last group before the gap; kill -9 itself took $KILL_TOOK ms)" "$STOPPED ms"
printf '%-78s %s\n' "  longest gap between committed groups around the kill (DB)" "$DB_GAP ms"
printf '%-78s %s\n' "  longest pause between wrk's acks in the next 10 s; acks resumed at" "$NODE_PAUSE ms; $ACKS_RESUMED ms"
printf '%-78s %s\n' "  node $SURVIVOR's log: killed node suspected / new primary component after" "$SUSPECTED / $PRIMARY"
echo "  (a node that dies without leaving holds every commit until Galera's evs.suspect_timeout, 5 s by default, evicts it)"
printf '%-78s %s\n' "answers not 200 / socket errors (not acknowledged; a sender sends again)" "$NOT_ACKED / $SOCKET_ERRORS"
printf '%-78s %s\n' "acknowledged (200) / distinct inbox ids in them / rows of the source" "$ACKED / $ACKED_IDS / $ROWS"
printf '%-78s %s\n' "  (rows without a 200: committed, but the answer was lost with the connection)" "$((ROWS - ACKED_IDS))"
printf '%-78s %s\n' "ACKNOWLEDGED EVENTS LOST (acked ids not in ing_inbox; must be 0)" "$LOST"
printf '%-78s %s\n' "node $WRITTEN back: start.sh node $WRITTEN until Synced" "$REJOIN"
if [ "$LOST" != 0 ] || [ "$ACKED" != "$ACKED_IDS" ]; then echo "FAILED: acknowledged events lost or an id acknowledged twice" >&2; exit 1; fi
