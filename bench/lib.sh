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
