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

# The embedded database's own client on its socket, as the operating-system user that owns the database (MariaDB's
# unix_socket authentication), with the arguments given. Without TLS: the client asks for it even on a socket, and the
# server's generated certificate is a 4096-bit RSA key, whose signature in every handshake cost the database 20-40 ms
# of CPU here; a sampler connecting twice a second took 8 % of the database's CPU from the erasure run it measured.
# A local socket needs no encryption.
bench_db() { "$WORK/home/mariadb/base/bin/mariadb" --skip-ssl -S "$WORK/home/mariadb/mariadb.sock" -u"$(id -un)" -N -B "$@"; }

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
# each CPU while a task runs on it, with the JIT's method names (jcmd Compiler.perfmap). A thread waiting for a
# core or for the database adds nothing, where JFR's execution samples count every thread that is in Java code, running
# or waiting for a core: on two busy cores JFR weighs code by how many threads sit in it, perf by the CPU it takes.
# Writes OUT.txt (CPU of the whole machine by process; the JVM's by thread, by package and by method, each method's own
# time) and keeps OUT.data with the JIT's names in OUT.perf-map for perf report. Needs perf (Debian: linux-perf); without it the run goes on without a profile.
bench_profile_start() {
    PROFILED=$1; PROFILE_OUT=$2; PROFILER=
    command -v perf >/dev/null || { log "no perf on this machine (Debian: linux-perf): no CPU profile"; return 0; }
    # every CPU, the JVM's samples picked out when counted: perf attached to a process (-p) polls without pause, taking a whole
    # core, once one of its threads has ended (its events' descriptors hang up), and the server's pools end threads all
    # the time. Recording for as long as its child, a sleep, lives: stopped by a signal instead, perf polls the same way
    perf record -a -F 99 -o "$PROFILE_OUT.data" -- sleep 86400 >/dev/null 2>"$PROFILE_OUT.log" &
    PROFILER=$!; PIDS+=($PROFILER)
}
bench_profile_stop() {
    [ -n "${PROFILER:-}" ] || return 0
    pkill -TERM -P "$PROFILER" -x sleep 2>/dev/null || kill -INT "$PROFILER" 2>/dev/null || true
    wait "$PROFILER" 2>/dev/null || true
    jcmd "$PROFILED" Compiler.perfmap >/dev/null 2>&1 || true # /tmp/perf-<pid>.map, where perf looks up the JIT's code
    # one sample a line: thread name, pid, address, symbol, (object). Counted here rather than by perf report's --pid,
    # which leaves out the threads the JVM starts while perf records (its C2 compiler threads come and go: a quarter of the
    # server's CPU went missing from one report that way)
    perf script -i "$PROFILE_OUT.data" -F comm,pid,ip,sym,dso 2>/dev/null | awk -v target="$PROFILED" '
        {
            line = $0; dso = ""
            if (match(line, / \([^()]*\)$/)) { dso = substr(line, RSTART + 2, RLENGTH - 3); line = substr(line, 1, RSTART - 1) }
            if (!match(line, / [0-9]+ +[0-9a-f]+ /)) next
            comm = substr(line, 1, RSTART - 1); sub(/^ +/, "", comm)
            split(substr(line, RSTART + 1, RLENGTH - 2), f, / +/); pid = f[1]
            sym = substr(line, RSTART + RLENGTH); sub(/^ +/, "", sym)
            all++; process[pid]++
            if (pid != target) next
            mine++; thread[comm]++
            n = split(dso, path, "/"); object = path[n]
            if (dso ~ /perf-[0-9]+\.map$/) {
                if (index(sym, "(") == 0) group = "JIT stubs, interpreter"
                else {
                    head = substr(sym, 1, index(sym, "(") - 1); w = split(head, words, " "); k = split(words[w], part, ".")
                    group = k < 3 ? "JIT stubs, interpreter" : part[1]
                    for (i = 2; k >= 3 && i <= k - 2 && i <= 3; i++) group = group "." part[i]
                }
                object = "JIT"
            } else group = object == "libjvm.so" ? "JVM" : object == "[kernel.kallsyms]" ? "kernel" : object
            package[group]++; method[object "  " sym]++
        }
        function top(title, counts, total, limit,   key, shown, best, b) {
            print "== " title
            for (shown = 0; shown < limit; shown++) {
                best = -1
                for (key in counts) if (counts[key] > best) { best = counts[key]; b = key }
                if (best < 0) break
                printf "%7.2f%%  %s\n", 100 * best / total, substr(b, 1, 180); delete counts[b]
            }
        }
        END {
            print "CPU profile by perf, 99 Hz per CPU while it runs a task: " all + 0 " samples of the whole machine, " mine + 0 " of pid " target
            print "== by process (pid 0 = idle: no task on the CPU)"
            for (p in process) {
                name = "idle"
                if (p != 0) { name = "ended"; ("ps -o comm= -p " p) | getline name; close("ps -o comm= -p " p) }
                printf "%7.2f%%  %s %s\n", 100 * process[p] / all, p, name | "sort -rn | head -8"
            }
            close("sort -rn | head -8")
            if (mine == 0) exit
            print "-- pid " target " alone: the shares below are of its samples"
            top("by thread (names cut to 15 characters by Linux)", thread, mine, 20)
            top("by package (own time; JVM = libjvm: garbage collection, JIT compilers, runtime)", package, mine, 30)
            top("by method (own time)", method, mine, 40)
        }' >"$PROFILE_OUT.txt" || true
    # the JIT's names go with the recording, out of /tmp (to look again: copy OUT.perf-map back to /tmp/perf-<pid>.map)
    mv "/tmp/perf-$PROFILED.map" "$PROFILE_OUT.perf-map" 2>/dev/null || true
}
