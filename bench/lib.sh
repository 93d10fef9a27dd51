# What the benchmarks that run the launcher share: building it when asked or missing, starting the server on loopback
# ports and waiting for it, a log line, and stopping everything they started when they end (also on TERM or Ctrl-C).
# Sourced by a run.sh after it has set ROOT, WORK and LAUNCHER; processes it starts itself go into PIDS.

PIDS=()
bench_cleanup() {
    for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
    for p in "${PIDS[@]}"; do
        for _ in $(seq 60); do kill -0 "$p" 2>/dev/null || break; sleep 0.5; done
        kill -KILL "$p" 2>/dev/null || true
    done
    wait 2>/dev/null || true
}
trap bench_cleanup EXIT
trap 'exit 143' TERM INT # a timeout or Ctrl-C still stops the server and the database
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

# mvn install when BUILD=1 or when the launcher or the WAR is missing (otherwise the built jars are used as they are)
bench_build() {
    if [ "${BUILD:-0}" = 1 ] || [ ! -f "$LAUNCHER" ] || [ ! -f "$ROOT/modules/app/target/guestbridge.war" ]; then
        echo "building…" >&2
        (cd "$ROOT" && mvn -q -DskipTests install)
    fi
}

# bench_start_server NAME=value…: the launcher with these environment variables and GUESTBRIDGE_HOME=$WORK/home, its
# output in $WORK/server.log; waits at most 240 s for it to be ready. Sets SERVER to its pid.
bench_start_server() {
    env "$@" GUESTBRIDGE_HOME="$WORK/home" java -jar "$LAUNCHER" >"$WORK/server.log" 2>&1 &
    SERVER=$!; PIDS+=($SERVER)
    for _ in $(seq 240); do
        grep -q 'guestbridge is ready' "$WORK/server.log" && break
        kill -0 $SERVER 2>/dev/null || { tail -40 "$WORK/server.log" >&2; exit 1; }
        sleep 1
    done
    grep -q 'guestbridge is ready' "$WORK/server.log" || { echo "server not ready" >&2; exit 1; }
}

# bench_profile_start PID OUT … bench_profile_stop: a CPU-time profile of one JVM by Linux perf, 99 samples a second of
# each of its threads while it is on a CPU, with the JIT's method names (jcmd Compiler.perfmap). A thread waiting for a
# core or for the database adds nothing, where JFR's execution samples count every thread that is in Java code, running
# or waiting for a core: on two busy cores JFR weighs code by how many threads sit in it, perf by the CPU it takes.
# Writes OUT.txt (CPU of the whole machine by process; the JVM's by thread, by package and by method, each method's own
# time) and keeps OUT.data for perf report. Needs perf (Debian: linux-perf); without it the run goes on without a profile.
bench_profile_start() {
    PROFILED=$1; PROFILE_OUT=$2; PROFILER=
    command -v perf >/dev/null || { log "no perf on this machine (Debian: linux-perf): no CPU profile"; return 0; }
    # every CPU, filtered to the JVM in the report: perf attached to a process (-p) polls without pause, taking a whole
    # core, once one of its threads has ended (its events' descriptors hang up), and the server's pools end threads all
    # the time. Recording for as long as its child, a sleep, lives: stopped by a signal instead, perf polls the same way
    perf record -a -F 99 -o "$PROFILE_OUT.data" -- sleep 86400 >/dev/null 2>"$PROFILE_OUT.log" &
    PROFILER=$!; PIDS+=($PROFILER)
}
bench_profile_stop() {
    [ -n "${PROFILER:-}" ] || return 0
    pkill -TERM -P "$PROFILER" -x sleep 2>/dev/null || kill -INT "$PROFILER" 2>/dev/null || true
    wait "$PROFILER" 2>/dev/null || true
    jcmd "$PROFILED" Compiler.perfmap >/dev/null 2>&1 || true # /tmp/perf-<pid>.map, where perf report looks
    local report="perf report -i $PROFILE_OUT.data --no-children --stdio --pid $PROFILED --percentage relative" by_process by_thread by_method
    # samples per process (perf's own sort keys go by thread): pid 0 is the idle CPUs
    by_process=$(perf script -i "$PROFILE_OUT.data" -F pid 2>/dev/null | sort | uniq -c | sort -rn || true)
    by_thread=$($report --sort comm 2>/dev/null || true)
    by_method=$($report --sort dso,sym 2>/dev/null || true)
    # the report's pipes end early (head, grep -m1): under a caller's set -e -o pipefail that would end the caller
    ( set +e +o pipefail
        local all; all=$(echo "$by_process" | awk '{ n += $1 } END { print n + 0 }')
        echo "CPU profile by perf, 99 Hz per CPU while it runs a task: $all samples of the whole machine"
        echo "== by process (idle = no task on the CPU)"
        echo "$by_process" | head -10 | while read -r n pid; do
            name=$([ "$pid" = 0 ] && echo idle || ps -o comm= -p "$pid" 2>/dev/null || echo ended)
            printf '%7.2f%%  %s %s\n' "$(echo "scale=4; 100 * $n / $all" | bc)" "$pid" "${name:-ended}"
        done
        echo "of pid $PROFILED alone (the shares below are of its samples): $(echo "$by_thread" | grep -m1 '^# Samples' | sed 's/^# //')"
        echo "== by thread (names cut to 15 characters by Linux)"
        echo "$by_thread" | grep -v '^#' | grep -v '^$' | head -20
        echo "== by package (own time; JVM = libjvm: garbage collection, JIT compilers, runtime)"
        echo "$by_method" | grep -v '^#' | grep -v '^$' | awk '
            { pct = $1; sub(/%/, "", pct); dso = $2 }
            dso == "[JIT]" {
                line = $0; sub(/.*\[\.\] /, "", line)
                if (index(line, "(") == 0) { group = "JIT stubs, interpreter" }
                else {
                    head = substr(line, 1, index(line, "(") - 1); n = split(head, words, " "); name = words[n]
                    k = split(name, part, "."); group = k < 3 ? "JIT stubs, interpreter" : part[1]
                    for (i = 2; k >= 3 && i <= k - 2 && i <= 3; i++) group = group "." part[i]
                }
                total[group] += pct; next
            }
            { group = dso == "libjvm.so" ? "JVM" : dso == "[kernel.kallsyms]" ? "kernel" : dso; total[group] += pct }
            END { for (g in total) printf "%7.2f%%  %s\n", total[g], g }' | sort -rn | head -30
        echo "== by method (own time)"
        echo "$by_method" | grep -v '^#' | grep -v '^$' | sed -E 's/\[JIT\] tid [0-9]+ +//' | cut -c1-180 | head -40
    ) >"$PROFILE_OUT.txt"
}
