#!/usr/bin/env bash
# RADIUS benchmark: controllers' MAC-authentication Access-Requests for PPSK devices answered through FreeRADIUS →
# rlm_rest → guestbridge (the device's credential, its window, its passphrase unsealed, Cisco-AVPair psk=), side by
# side with the ceiling: FreeRADIUS answering the same requests from a static users file. One run, same machine,
# same load client (bench/radius/src/RadiusBench.java, JDK only: CONCURRENCY requests in flight, one per socket).
# Loopback only; every loop bounded in count and time; everything started is killed on exit.
#
#   flock /tmp/guestbridge-heavy.lock bash bench/radius/run.sh                  # N=2000 devices, 30,000 requests each side
#   N=200 REQUESTS=3000 flock /tmp/guestbridge-heavy.lock bash bench/radius/run.sh   # a quicker look
#   BUILD=1 …                                                                    # mvn install first
# The table goes to target/results.md (the latest run) and target/results-<tag>.md; logs to target/run-<tag>/.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
N=${N:-2000}                    # credentials, one device bound to each
REQUESTS=${REQUESTS:-30000}     # measured Access-Requests per side
WARMUP=${WARMUP:-5000}          # unmeasured Access-Requests per side first
CONCURRENCY=${CONCURRENCY:-8}   # requests in flight (a few busy controllers)
LIMIT=${LIMIT:-120}             # s at most per load run
PORT=${PORT:-18800}
DB_PORT=${DB_PORT:-18806}
RADIUS_PORT=${RADIUS_PORT:-18812}
CEILING_PORT=${CEILING_PORT:-18813}
TARGET=$ROOT/bench/radius/target
TAG=n$N-r$REQUESTS-c$CONCURRENCY
WORK=$TARGET/run-$TAG
LAUNCHER=$ROOT/modules/launcher/target/guestbridge-launcher.jar
NAS_SECRET=bench-nas-$RANDOM$RANDOM
REST_SECRET=bench-rest-$RANDOM$RANDOM
command -v jq >/dev/null || { apt-get update -qq && apt-get install -y -qq jq >/dev/null; }
[ -x /usr/sbin/freeradius ] && command -v radclient >/dev/null || { apt-get update -qq && apt-get install -y -qq freeradius freeradius-rest freeradius-utils >/dev/null; }

cd "$ROOT"
source "$ROOT/bench/lib.sh"
bench_build
rm -rf "$WORK" && mkdir -p "$WORK/radius" "$WORK/ceiling"
BENCH=(java -Xmx256m bench/radius/src/RadiusBench.java)


# ---------------------------------------------------------------- 1. the server
# no delivery run after the first (5 s after start): the benchmark measures RADIUS, not the mail of N credentials
bench_start_server HTTP_PORT=$PORT HTTPS_PORT=0 EMBEDDED_DB_PORT=$DB_PORT ONBOARDING_RADIUS_SECRET=$REST_SECRET \
    ONBOARDING_DELIVERY_INTERVAL_SECONDS=86400 SERVER_JAVA_OPTS="${SERVER_JAVA_OPTS:--Xmx768m -XX:+UseSerialGC}"
BASE=http://127.0.0.1:$PORT
API=$BASE/api/v1
OPERATOR=$(GUESTBRIDGE_HOME=$WORK/home java -jar "$LAUNCHER" token operator)
sql() { bench_db guestbridge -e "$1"; }
post() { curl -sf -m 60 -H "Authorization: Bearer $OPERATOR" -H 'Content-Type: application/json' -d "$2" "$API$1"; }

# ---------------------------------------------------------------- 2. a PPSK venue with N guests in their stay, a device each
log "a venue (made by a Purple login, the way venues appear), its booking source, its PPSK network (Cisco/Meraki attributes)…"
PURPLE=$(post /sources '{"kind":"PURPLE","name":"radius bench portal","timeZone":"Europe/London"}' | jq -r .webhookPath)
VENUE_REF=$((800000 + RANDOM))
curl -sf -m 60 -H 'Content-Type: application/json' -d "{\"client\":{\"mac\":\"00-01-02-03-04-05\"},\"session\":{\"authenticationTime\":\"2026-11-01T10:00:00+0000\"},\"user\":{\"email\":\"radius-bench-portal@example.com\",\"id\":1},\"venue\":{\"id\":$VENUE_REF,\"name\":\"Bench Hotel\"}}" \
    "$BASE$PURPLE" >/dev/null
VENUE=
for _ in $(seq 60); do
    VENUE=$(curl -sf -m 30 -H "Authorization: Bearer $OPERATOR" "$API/venues" | jq -r --arg ref "purple:$VENUE_REF" '.[] | select(.ref == $ref) | .id')
    [ -n "$VENUE" ] && break
    sleep 1
done
[ -n "$VENUE" ] || { echo "the Purple login made no venue" >&2; exit 1; }
post /sources '{"kind":"BOOKING","name":"radius bench PMS","timeZone":"Europe/London"}' >"$WORK/pms.json"
SOURCE=$(jq -r '.source.id // .id' "$WORK/pms.json")
curl -sf -m 60 -X PUT -H "Authorization: Bearer $OPERATOR" -H 'Content-Type: application/json' \
    -d "{\"bookingSourceId\":\"$SOURCE\",\"kind\":\"PPSK\",\"ssid\":\"Bench Hotel Guests\",\"radiusVendor\":\"CISCO_MERAKI\"}" \
    "$API/onboarding/networks/$VENUE" >/dev/null
log "seeding $N confirmed stays by signed booking webhooks…"
T0=$(date +%s)
"${BENCH[@]}" seed "$BASE" "$(jq -r .webhookPath "$WORK/pms.json")" "$(jq -r .signingSecret "$WORK/pms.json")" "$N" 8
for _ in $(seq 600); do
    [ "$(sql "SELECT COUNT(*) FROM onb_credential WHERE venue_id = '$VENUE' AND state = 'ACTIVE'")" = "$N" ] && break
    sleep 1
done
sql "SELECT id FROM onb_credential WHERE venue_id = '$VENUE' AND state = 'ACTIVE' ORDER BY id" >"$WORK/ids.txt"
[ "$(wc -l <"$WORK/ids.txt")" = "$N" ] || { echo "only $(wc -l <"$WORK/ids.txt") of $N credentials issued" >&2; exit 1; }
awk -v n="$N" 'BEGIN { for (i = 0; i < n; i++) printf "02:be:%02x:%02x:%02x:%02x\n", int(i / 16777216) % 256, int(i / 65536) % 256, int(i / 256) % 256, i % 256 }' >"$WORK/macs.txt"
"${BENCH[@]}" bind "$BASE" "$OPERATOR" "$WORK/ids.txt" "$WORK/macs.txt" 8
[ "$(sql "SELECT COUNT(*) FROM onb_credential_device")" = "$N" ] || { echo "not every device was bound" >&2; exit 1; }
SEED_S=$(($(date +%s) - T0))
log "$N credentials issued and a device bound to each in ${SEED_S}s"

# ---------------------------------------------------------------- 3. FreeRADIUS twice: through guestbridge, and the static ceiling
# the ceiling answers each device with what guestbridge answers: Session-Timeout and the two Cisco-AVPair values
awk '{ mac = $1; gsub(":", "", mac); srand(NR); p = ""; for (k = 0; k < 14; k++) p = p substr("abcdefghjkmnpqrstuvwxyz23456789", int(rand() * 31) + 1, 1)
       printf "%s Auth-Type := Accept\n\tSession-Timeout = 259200,\n\tCisco-AVPair += \"psk-mode=ascii\",\n\tCisco-AVPair += \"psk=%s\"\n\n", mac, p }' \
    "$WORK/macs.txt" >"$WORK/ceiling/users"
start_radius() { # dir config port
    env GUESTBRIDGE_RADIUS_RUN_DIR="$1" GUESTBRIDGE_RADIUS_AUTH_PORT="$3" GUESTBRIDGE_RADIUS_LISTEN=127.0.0.1 \
        GUESTBRIDGE_RADIUS_NAS_NETWORK=127.0.0.1/32 GUESTBRIDGE_RADIUS_NAS_SECRET=$NAS_SECRET GUESTBRIDGE_URL=$BASE \
        GUESTBRIDGE_RADIUS_REST_SECRET=$REST_SECRET /usr/sbin/freeradius -f -d "$2" >"$1/stdout.log" 2>&1 &
    PIDS+=($!)
    for _ in $(seq 100); do grep -qs 'Ready to process requests' "$1/radius.log" && return 0; sleep 0.2; done
    cat "$1/stdout.log" "$1/radius.log" >&2; exit 1
}
start_radius "$WORK/radius" "$ROOT/deploy/freeradius" "$RADIUS_PORT"
RADIUS_PID=${PIDS[-1]}
start_radius "$WORK/ceiling" "$ROOT/bench/radius/ceiling" "$CEILING_PORT"
CEILING_PID=${PIDS[-1]}
first=$(head -1 "$WORK/macs.txt"); hex=${first//:/}
for port in $RADIUS_PORT $CEILING_PORT; do
    answer=$(echo "User-Name = \"$hex\", User-Password = \"$hex\", Calling-Station-Id = \"${first//:/-}\"" | radclient -x -r 1 -t 5 127.0.0.1:$port auth "$NAS_SECRET" 2>&1 || true)
    grep -q 'Received Access-Accept' <<<"$answer" && grep -q 'Cisco-AVPair = "psk=' <<<"$answer" \
        || { echo "port $port does not accept the first device with its passphrase:" >&2; sed 's/psk=.*/psk=<hidden>/' <<<"$answer" >&2; exit 1; }
done
unknown=$(echo 'User-Name = "02ffffffffff", User-Password = "02ffffffffff", Calling-Station-Id = "02-FF-FF-FF-FF-FF"' | radclient -r 1 -t 5 127.0.0.1:$RADIUS_PORT auth "$NAS_SECRET" 2>&1 || true)
grep -q 'Received Access-Reject' <<<"$unknown" || { echo "an unknown device was not rejected: $unknown" >&2; exit 1; }

# ---------------------------------------------------------------- 4. the load, ceiling first, then through guestbridge
PAYARA=$(pgrep -P "$SERVER" -f payara-micro | head -1 || true); MARIADB=$(pgrep -P "$SERVER" -f mariadbd | head -1 || true)
cpu() { [ -n "$1" ] && awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f\n", ($14 + $15) / hz }' "/proc/$1/stat" 2>/dev/null || echo 0; }
load() { # port label
    local c0 c1
    c0="$(cpu "$PAYARA") $(cpu "$MARIADB") $(cpu "$RADIUS_PID") $(cpu "$CEILING_PID")"
    log "$2: $WARMUP warm-up then $REQUESTS Access-Requests, $CONCURRENCY in flight…"
    if [ "${PROFILE:-0}" = 1 ] && [ "$2" = guestbridge ]; then
        # Java Flight Recorder in Payara for the whole load (warm-up included): where the server's CPU goes
        jcmd "$PAYARA" JFR.start name=radius settings=profile >/dev/null
    fi
    "${BENCH[@]}" load 127.0.0.1 "$1" "$NAS_SECRET" "$WORK/macs.txt" "$REQUESTS" "$CONCURRENCY" "$LIMIT" "$WARMUP" >"$WORK/$2.txt"
    if [ "${PROFILE:-0}" = 1 ] && [ "$2" = guestbridge ]; then
        jcmd "$PAYARA" JFR.stop name=radius filename="$WORK/payara.jfr" >/dev/null
        # per method: the share of CPU samples whose stack holds it (inclusive), the 40 largest
        jfr print --events jdk.ExecutionSample --stack-depth 96 "$WORK/payara.jfr" | awk '
            /jdk.ExecutionSample/ { if (n) { for (m in seen) count[m]++ } ; delete seen; n++ }
            /line:/ { m = $1; sub(/\(.*/, "", m); seen[m] = 1 }
            END { for (m in seen) count[m]++; for (m in count) printf "%5.1f%% %s\n", 100 * count[m] / n, m }' \
            | sort -rn | head -40 >"$WORK/profile.txt" || true # head closes the pipe early
        # per method: the share of samples it was running itself (the top frame), the 25 largest
        jfr print --events jdk.ExecutionSample --stack-depth 1 "$WORK/payara.jfr" | awk '/line:/ { m = $1; sub(/\(.*/, "", m); c[m]++; n++ }
            END { for (m in c) printf "%5.1f%% %s\n", 100 * c[m] / n, m }' | sort -rn | head -25 >"$WORK/profile-self.txt" || true
        log "profile: $WORK/profile.txt, $WORK/profile-self.txt"
    fi
    c1="$(cpu "$PAYARA") $(cpu "$MARIADB") $(cpu "$RADIUS_PID") $(cpu "$CEILING_PID")"
    echo "$c0 $c1" | awk '{ printf "%.1f %.1f %.1f %.1f\n", $5 - $1, $6 - $2, $7 - $3, $8 - $4 }' >"$WORK/$2-cpu.txt"
    log "$2: $(cat "$WORK/$2.txt") (done rps p50 p99 max accepts rejects timeouts); cpu s payara mariadb freeradius ceiling: $(cat "$WORK/$2-cpu.txt")"
}
load "$CEILING_PORT" ceiling
load "$RADIUS_PORT" guestbridge
grep -q 'psk=' "$WORK/radius/radius.log" && { echo "a passphrase reached FreeRADIUS's log" >&2; exit 1; }

# ---------------------------------------------------------------- 5. the table
read -r c_done c_rps c_p50 c_p99 c_max c_acc c_rej c_to <"$WORK/ceiling.txt"
read -r g_done g_rps g_p50 g_p99 g_max g_acc g_rej g_to <"$WORK/guestbridge.txt"
read -r gp gm gr _ <"$WORK/guestbridge-cpu.txt"
RATIO=$(awk -v g="$g_rps" -v c="$c_rps" 'BEGIN { printf "%.2f", (c > 0 ? g / c : 0) }')
VERDICT=$(awk -v r="$g_rps" -v p="$g_p99" -v a="$g_acc" -v d="$g_done" 'BEGIN { print (r >= 1000 && p <= 20 && a == d ? "met" : "NOT met") }')
{
    echo "# RADIUS benchmark ($(date -u +%Y-%m-%dT%H:%MZ))"
    echo
    echo "Machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1); FreeRADIUS $(/usr/sbin/freeradius -v | sed -n 's/.*Version \([0-9.]*\).*/\1/p' | head -1)."
    echo "Input: $N PPSK credentials with a device each (Cisco/Meraki attributes); $WARMUP warm-up + $REQUESTS measured MAC-authentication"
    echo "Access-Requests per side, $CONCURRENCY in flight from one client process on the same cores; seeding took ${SEED_S}s."
    echo
    echo "| answered by | requests | req/s | p50 ms | p99 ms | max ms | accepts | rejects | timeouts |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    echo "| FreeRADIUS, static users file (ceiling) | $c_done | $c_rps | $c_p50 | $c_p99 | $c_max | $c_acc | $c_rej | $c_to |"
    echo "| FreeRADIUS → rlm_rest → guestbridge | $g_done | $g_rps | $g_p50 | $g_p99 | $g_max | $g_acc | $g_rej | $g_to |"
    echo
    echo "guestbridge / ceiling: $RATIO of the ceiling's throughput. Target ≥ 1,000 req/s with p99 ≤ 20 ms: $VERDICT."
    echo "CPU seconds during the guestbridge run: Payara $gp, MariaDB $gm, FreeRADIUS $gr."
} | tee "$TARGET/results-$TAG.md" >"$TARGET/results.md"
cat "$TARGET/results.md"
