#!/usr/bin/env bash
# Page benchmark: the server time of the privacy center's pages and of the compliance console's pages on a
# database holding GUESTS guests, AUDIT audit records and REQUESTS privacy requests.
#   privacy center (target p99 <= 50 ms each; the erasure flow's 5 answers together < 1 s): start page, email form
#   post (answers with the code page), the code page shown again (post without a code), code post (confirmed page),
#   follow form, follow post (answers with the proof code page), proof post (answers with the request's status),
#   consent form.
#   console (target p99 <= 200 ms each): overview, requests list by due (within 7 days, overdue), one request's page,
#   audit trail by subject, by actor + time range, and a page deep in the unfiltered trail.
# Server time is curl's time_starttransfer on loopback (request sent to first byte back), one request at a time.
# Loopback only; every loop is bounded in count and every wait in time; everything started is killed on exit.
#
#   flock /tmp/guestbridge-heavy.lock bash bench/pages/run.sh                          # full size
#   GUESTS=2000 AUDIT=20000 REQUESTS=300 ROUNDS=40 flock /tmp/guestbridge-heavy.lock bash bench/pages/run.sh   # a trial
#   BUILD=1 ...                                          # mvn install first (otherwise the built jars are used as they are)
# The table goes to target/results.md (the latest run) and target/results-<tag>.md; logs and samples to target/run-<tag>/.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
GUESTS=${GUESTS:-100000}
AUDIT=${AUDIT:-1000000}
REQUESTS=${REQUESTS:-10000}
ROUNDS=${ROUNDS:-300}        # measured rounds of the privacy center flow, and requests per console page
WARMUP=${WARMUP:-30}         # unmeasured rounds first, per page
PORT=${PORT:-18700}
DB_PORT=${DB_PORT:-18706}
IMPORT_LIMIT=${IMPORT_LIMIT:-900}   # s for the CSV import to answer and its guests to be in the database
SETTLE_LIMIT=${SETTLE_LIMIT:-1800}  # s for the queues to drain and the audit sequencer to number every record
MAIL_LIMIT=${MAIL_LIMIT:-30}        # s for one code mail to be caught
TARGET=$ROOT/bench/pages/target
TAG=g$GUESTS-a$AUDIT-r$REQUESTS
WORK=$TARGET/run-$TAG
LAUNCHER=$ROOT/modules/launcher/target/guestbridge-launcher.jar
command -v jq >/dev/null || { apt-get update -qq && apt-get install -y -qq jq >/dev/null; }
[ "$REQUESTS" -le "$GUESTS" ] && [ $((ROUNDS + WARMUP)) -le $((GUESTS - REQUESTS)) ] || { echo "need ROUNDS + WARMUP + REQUESTS <= GUESTS" >&2; exit 1; }

cd "$ROOT"
source "$ROOT/bench/lib.sh"
bench_build
rm -rf "$WORK" && mkdir -p "$WORK/t" "$WORK/pages"


# ---------------------------------------------------------------- 1. the server
# The privacy center's limits count per email and per client address, and every request here comes from 127.0.0.1:
# raised so that the benchmark measures the pages, not the 429 page. The audit sequencer takes bigger batches so the
# seeded records are numbered in minutes (the pages read numbered records only).
ENVS="PRIVACY_INTAKE_PER_EMAIL_PER_HOUR=1000000 PRIVACY_INTAKE_PER_ADDRESS_PER_HOUR=1000000
PRIVACY_GUESSING_WRONG_CODES_PER_HOUR=1000000 PRIVACY_GUESSING_UNKNOWN_LINKS_PER_HOUR=1000000
PRIVACY_VERIFICATION_WINDOW_MINUTES=144000 AUDIT_SEQUENCER_BATCH=${SEQUENCER_BATCH:-5000}"
echo "$ENVS" >"$WORK/server.env"
# shellcheck disable=SC2086
bench_start_server $ENVS HTTP_PORT=$PORT HTTPS_PORT=0 EMBEDDED_DB_PORT=$DB_PORT SERVER_JAVA_OPTS="-Xmx768m -XX:+UseSerialGC"
HOST=http://127.0.0.1:$PORT
API=$HOST/api/v1
MAIL=$WORK/home/mail
token() { GUESTBRIDGE_HOME=$WORK/home java -jar "$LAUNCHER" token "$1"; }
OPERATOR=$(token operator); DPO=$(token dpo); INTEGRATION=$(token integration)
sql_db() { bench_db -e "SELECT table_schema FROM information_schema.tables WHERE table_name = 'aud_record' LIMIT 1"; }
DB=$(sql_db)
sql() { bench_db "$DB" "$@"; }
log "server ready; database $DB"

# ---------------------------------------------------------------- 2. the data
# guests: one CSV import (the product's own path: processing, identity, consent, audit)
SOURCE=$(curl -sf -H "Authorization: Bearer $OPERATOR" -H 'Content-Type: application/json' \
    -d '{"kind":"GENERIC","name":"page bench","timeZone":"Europe/London"}' "$API/sources" | jq -r .source.id)
awk -v n="$GUESTS" 'BEGIN { print "email,first_name,last_name,connect_time,venue_name"; for (i = 0; i < n; i++) printf "page-bench-%d@example.com,Jane,Smith,2026-11-24T10:%02d:00Z,Bench Hall\n", i, i % 60 }' >"$WORK/guests.csv"
T0=$(date +%s)
curl -sf -m "$IMPORT_LIMIT" -H "Authorization: Bearer $INTEGRATION" -H 'Content-Type: text/csv' --data-binary @"$WORK/guests.csv" \
    "$API/ingest/imports?source=$SOURCE" | jq -c '{accepted, duplicate, rejected}' >"$WORK/import.json"
log "import answered: $(cat "$WORK/import.json")"
for _ in $(seq "$IMPORT_LIMIT"); do
    [ "$(sql -e 'SELECT COUNT(*) FROM idn_guest')" -ge "$GUESTS" ] && break
    sleep 1
done
GUESTS_IN=$(sql -e 'SELECT COUNT(*) FROM idn_guest')
IMPORT_S=$(($(date +%s) - T0))
log "$GUESTS_IN guests in ${IMPORT_S}s"

# privacy requests through the API, as staff would file them, for the guests at the top of the range (the flow
# below uses the bottom): a third staff-verified erasures (they run and complete), two thirds unverified requests
# (a code is mailed; they stay open, awaiting verification, as requests from the public do until the code is used)
for i in $(seq 0 $((REQUESTS - 1))); do
    [ "$i" = 0 ] || echo next
    g=$((GUESTS - 1 - i))
    case $((i % 3)) in
        0) body="{\\\"type\\\":\\\"ERASURE\\\",\\\"email\\\":\\\"page-bench-$g@example.com\\\",\\\"verifiedBy\\\":\\\"bench: staff checked\\\"}" ;;
        1) body="{\\\"type\\\":\\\"ACCESS\\\",\\\"email\\\":\\\"page-bench-$g@example.com\\\"}" ;;
        2) body="{\\\"type\\\":\\\"OBJECTION\\\",\\\"email\\\":\\\"page-bench-$g@example.com\\\"}" ;;
    esac
    printf 'url = "%s"\nheader = "Authorization: Bearer %s"\nheader = "Content-Type: application/json"\ndata = "%s"\n' "$API/privacy/requests" "$DPO" "$body"
    printf 'output = "/dev/null"\nmax-time = 60\nwrite-out = "%%{http_code}\\n"\n'
done >"$WORK/requests.cfg"
curl -s --no-progress-meter -Z --parallel-max 4 -K "$WORK/requests.cfg" >"$WORK/requests-status.txt" 2>&1 || true
log "privacy requests: $(sort "$WORK/requests-status.txt" | uniq -c | tr '\n' ' ')"
# requests arrive over time: the unverified ones are moved back 0 to 44 days (received and due together), so that
# some are overdue and some due within 7 days, as on a desk in use (the verification window is 100 days for the run,
# so that the clock does not expire them)
sql -e "UPDATE prv_request SET received_at = received_at - INTERVAL (CONV(LEFT(id, 4), 16, 10) % 45) DAY,
        due_at = due_at - INTERVAL (CONV(LEFT(id, 4), 16, 10) % 45) DAY WHERE verified_by IS NULL"

# audit records up to AUDIT: inserted unnumbered, where and as the audit module's writer inserts them (JdbcAuditTrail:
# occurred_at, actor, action, module, subject_ref, details), in one statement per 1,000 rows; the product's
# sequencer then numbers and chains them and adds them to the Merkle log. Subjects are the guests' own references,
# actors and actions those the product wrote for the import and the requests, plus 40 staff actors; times spread over
# the last 180 days in insertion order.
HAVE=$(sql -e 'SELECT COUNT(*) FROM aud_record')
# where records wait for their numbers: their own table since it exists, before that aud_record with seq NULL
if [ "$(sql -e "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'aud_pending'")" = 1 ]; then
    WAITING_TABLE=aud_pending; WAITING='SELECT COUNT(*) FROM aud_pending'
else
    WAITING_TABLE=aud_record; WAITING='SELECT COUNT(*) FROM aud_record WHERE seq IS NULL'
fi
ADD=$((AUDIT - HAVE))
if [ "$ADD" -gt 0 ]; then
    log "audit: $HAVE records written by the product; inserting $ADD more…"
    # The rows are made by one SELECT into a staging table (guests' subject references, the product's own actor/action/module
    # triples, 40 staff actors, times spread over 180 days), then written as multi-row INSERT ... VALUES of 1,000 rows, as the
    # audit writer writes them: INSERT INTO aud_record ... SELECT gave "occurred_at cannot be null" on MariaDB 11.4.5 even
    # from a staging table without a NULL, while the same rows as VALUES go in.
    START=$(date -u -d '-180 days' +%s)
    T0=$(date +%s)
    sql -e "SET time_zone = '+00:00';
        DROP TABLE IF EXISTS bench_subject, bench_kind, bench_stage;
        CREATE TABLE bench_subject (n INT PRIMARY KEY, ref VARCHAR(80)) AS
            SELECT ROW_NUMBER() OVER (ORDER BY ref) - 1 AS n, ref FROM (SELECT DISTINCT subject_ref AS ref FROM aud_record WHERE subject_ref IS NOT NULL) d;
        CREATE TABLE bench_kind (n INT PRIMARY KEY, actor VARCHAR(128), action VARCHAR(64), module VARCHAR(32)) AS
            SELECT ROW_NUMBER() OVER (ORDER BY actor, action, module) - 1 AS n, actor, action, module FROM (SELECT DISTINCT actor, action, module FROM aud_record) d;"
    SUBJECTS=$(sql -e 'SELECT COUNT(*) FROM bench_subject'); KINDS=$(sql -e 'SELECT COUNT(*) FROM bench_kind')
    sql -e "SET time_zone = '+00:00';
        CREATE TABLE bench_stage AS SELECT s.seq AS k, FROM_UNIXTIME($START + (s.seq * 15552000) DIV $ADD) AS occurred_at,
            IF(s.seq % 10 < 3, CONCAT('staff:bench-', (s.seq DIV 10) % 40), kd.actor) AS actor, kd.action, kd.module, b.ref AS subject_ref
        FROM seq_0_to_$((ADD - 1)) s JOIN bench_kind kd ON kd.n = (s.seq * 7919) % $KINDS JOIN bench_subject b ON b.n = (s.seq * 104729) % $SUBJECTS;"
    sql -e "SELECT DATE_FORMAT(occurred_at, '%Y-%m-%d %H:%i:%s'), actor, action, module, subject_ref FROM bench_stage ORDER BY k" \
        | awk -F'\t' '{ if (NR % 1000 == 1) { if (NR > 1) print ";"; printf "INSERT INTO '"$WAITING_TABLE"' (occurred_at, actor, action, module, subject_ref, details) VALUES " } else printf ","
                      printf "(\x27%s\x27,\x27%s\x27,\x27%s\x27,\x27%s\x27,\x27%s\x27,\x27{\"bench\":\"seeded\"}\x27)", $1, $2, $3, $4, $5 } END { print ";" }' >"$WORK/audit-seed.sql"
    sql <"$WORK/audit-seed.sql" || log "audit: the seed failed (see above); the pages are timed on the records there are"
    sql -e "DROP TABLE bench_subject, bench_kind, bench_stage"
    log "audit: inserted in $(($(date +%s) - T0))s"
fi

# settle: every queue drained (imports, mails, erasures) and every audit record numbered, before any page is timed
pending() { curl -sf -m 30 -H "Authorization: Bearer $OPERATOR" "$API/queues" | jq '[.[].pending] | add // 0' || echo '?'; }
T0=$(date +%s)
settled=no
for s in $(seq "$SETTLE_LIMIT"); do
    unnumbered=$(sql -e "$WAITING")
    queued=$(pending)
    if [ "$unnumbered" = 0 ] && [ "$queued" = 0 ]; then settled=yes; break; fi
    [ $((s % 30)) = 0 ] && log "  ${s}s: audit records not numbered yet $unnumbered; work items pending $queued"
    sleep 1
done
SETTLE_S=$(($(date +%s) - T0))
log "settled=$settled after ${SETTLE_S}s"
sql -e 'ANALYZE TABLE aud_record, prv_request, idn_guest' >/dev/null

# ---------------------------------------------------------------- 3. helpers for the timing
# one timed request: appends ms-to-first-byte to t/<name>, keeps the body in pages/<name>.html, prints the status
timed() { # name curl-args…
    local name=$1; shift
    local out
    out=$(curl -s -m 30 -o "$WORK/pages/$name.html" -w '%{http_code} %{time_starttransfer}' "$@")
    if [ "${MEASURE:-1}" = 1 ]; then
        echo "${out#* }" | awk '{ printf "%.3f\n", $1 * 1000 }' >>"$WORK/t/$name"
        echo "${out%% *}" >>"$WORK/t/$name.status"
    fi
    echo "${out%% *}"
}
form_token() { sed -nE 's/.*name="form-token" value="([^"]+)".*/\1/p' "$WORK/pages/$1.html" | head -1; }
hidden() { sed -nE "s/.*name=\"$2\" value=\"([^\"]+)\".*/\1/p" "$WORK/pages/$1.html" | head -1; }
# the code of the newest caught mail to an address whose subject has the given words
code_for() { # address subject-words
    local f
    for _ in $(seq $((MAIL_LIMIT * 10))); do
        f=$(grep -l "^To: <\?$1>\?" "$MAIL"/*.eml 2>/dev/null | xargs -r grep -l "^Subject: .*$2" 2>/dev/null | sort | tail -1 || true)
        if [ -n "$f" ]; then
            sed -nE 's/.*enter this code: ([0-9 ]+).*/\1/p' "$f" | tr -d ' \r' | head -1
            return
        fi
        sleep 0.1
    done
    echo "no mail for a code after ${MAIL_LIMIT}s" >&2
    return 1
}
pct() { # p name -> nearest-rank percentile of t/<name>
    [ -s "$WORK/t/$2" ] || { echo "-"; return; }
    sort -n "$WORK/t/$2" | awk -v p="$1" '{ v[NR] = $1 } END { k = int((p * NR + 99) / 100); if (k < 1) k = 1; printf "%.1f\n", v[k] }'
}

# ---------------------------------------------------------------- 4. the privacy center, one guest per round
PC=$HOST/privacy
FORM=(-H 'Content-Type: application/x-www-form-urlencoded')
round() { # i
    local i=$1 jar=$WORK/jar-pc email=page-bench-$1@example.com id challenge code status a b c d e
    rm -f "$jar"
    a=$(timed pc-start -c "$jar" -b "$jar" "$PC/")
    b=$(timed pc-email-post -c "$jar" -b "$jar" "${FORM[@]}" --data-urlencode "form-token=$(form_token pc-start)" \
        -d right=ERASURE --data-urlencode "email=$email" "$PC/request")
    id=$(hidden pc-email-post request)
    [ "$a $b" = "200 200" ] && [ -n "$id" ] || { echo "round $i: start $a, email post $b" >&2; return 1; }
    timed pc-code-page -c "$jar" -b "$jar" "${FORM[@]}" --data-urlencode "form-token=$(form_token pc-email-post)" \
        -d "request=$id" -d right=ERASURE -d code= "$PC/code" >/dev/null
    code=$(code_for "$email" "confirm your privacy request")
    c=$(timed pc-code-post -c "$jar" -b "$jar" "${FORM[@]}" --data-urlencode "form-token=$(form_token pc-code-page)" \
        -d "request=$id" -d right=ERASURE -d "code=$code" "$PC/code")
    timed pc-follow-page -c "$jar" -b "$jar" "$PC/follow" >/dev/null
    d=$(timed pc-follow-post -c "$jar" -b "$jar" "${FORM[@]}" --data-urlencode "form-token=$(form_token pc-follow-page)" \
        -d "reference=$id" --data-urlencode "email=$email" "$PC/follow")
    challenge=$(hidden pc-follow-post challenge)
    code=$(code_for "$email" "follow your privacy request")
    e=$(timed pc-proof-post -c "$jar" -b "$jar" "${FORM[@]}" --data-urlencode "form-token=$(form_token pc-follow-post)" \
        -d "challenge=$challenge" -d purpose=FOLLOW -d "code=$code" "$PC/proof")
    timed pc-consent-page -c "$jar" -b "$jar" "$PC/consent" >/dev/null
    [ "$c $d $e" = "200 200 200" ] || { echo "round $i: code post $c, follow post $d, proof post $e" >&2; return 1; }
}
log "privacy center: $WARMUP warm-up rounds, then $ROUNDS measured…"
# a failed round is reported and counted in the statuses, and the next one goes on
for i in $(seq 0 $((WARMUP - 1))); do MEASURE=0 round "$i" || true; done
for i in $(seq "$WARMUP" $((WARMUP + ROUNDS - 1))); do round "$i" || true; done
# the erasure flow: the 5 answers a guest waits for, from the start page to seeing the request's status
paste "$WORK/t/pc-start" "$WORK/t/pc-email-post" "$WORK/t/pc-code-post" "$WORK/t/pc-follow-post" "$WORK/t/pc-proof-post" \
    | awk '{ printf "%.3f\n", $1 + $2 + $3 + $4 + $5 }' >"$WORK/t/pc-erasure-flow"

# ---------------------------------------------------------------- 5. the console
# a development sign-in link per role from the banner: each gives a gb_console session cookie
signin() { # role -> a file with the session's Cookie header (the cookie is Secure: kept by hand, the run is plain http)
    local link
    link=$(grep -E "as $1 *http" "$WORK/server.log" | grep -oE 'http://[^ ]+/console/dev-sign-in/[^ ]+' | head -1)
    [ -n "$link" ] || { echo "no sign-in link for $1 in the banner" >&2; return 1; }
    curl -s -o /dev/null -D "$WORK/signin-$1.headers" "${link/localhost/127.0.0.1}"
    sed -nE 's/^[Ss]et-[Cc]ookie: (gb_console=[^;]+).*/Cookie: \1/p' "$WORK/signin-$1.headers" | tail -1 >"$WORK/cookie-$1"
    [ -s "$WORK/cookie-$1" ] || { echo "sign-in as $1 gave no session: $(head -1 "$WORK/signin-$1.headers")" >&2; return 1; }
}
signin dpo; signin compliance-officer
# the subject with the most records, an actor holding 1 in 40 records and 30 days of its history, a cursor half-way
SUBJECT=$(sql -e 'SELECT subject_ref FROM aud_record WHERE subject_ref IS NOT NULL GROUP BY subject_ref ORDER BY COUNT(*) DESC LIMIT 1')
ACTOR=staff:bench-7
# several values per field: the three subjects with the most records, three staff actors
SUBJECTS=$(sql -e 'SELECT subject_ref FROM aud_record WHERE subject_ref IS NOT NULL GROUP BY subject_ref ORDER BY COUNT(*) DESC LIMIT 3' | paste -sd, -)
ACTORS=staff:bench-7,staff:bench-8,staff:bench-9
FROM=$(date -u -d '-90 days' +%Y-%m-%d); TO=$(date -u -d '-60 days' +%Y-%m-%d)
HEAD=$(sql -e 'SELECT last_seq FROM aud_chain_head WHERE id = 1')
DEEP=$(printf 'after:%d' $((HEAD / 2)) | base64 | tr '+/' '-_' | tr -d '=\n')
ONE=$(sql -e "SELECT id FROM prv_request WHERE verified_by IS NOT NULL ORDER BY received_at LIMIT 1") # a completed erasure: steps and history
C=$HOST/console
console_page() { # name role url
    local name=$1 role=$2 url=$3 st
    for _ in $(seq "$WARMUP"); do MEASURE=0 timed "$name" -H @"$WORK/cookie-$role" "$url" >/dev/null; done
    for _ in $(seq "$ROUNDS"); do st=$(timed "$name" -H @"$WORK/cookie-$role" "$url"); [ "$st" = 200 ] || { echo "$name: $st" >&2; return 1; }; done
}
log "console: $WARMUP warm-up, then $ROUNDS measured requests per page…"
console_page console-overview dpo "$C/" || true
console_page console-requests-within-7-days dpo "$C/requests?due=WITHIN_7_DAYS" || true
console_page console-requests-overdue dpo "$C/requests?due=OVERDUE" || true
console_page console-request dpo "$C/requests/$ONE" || true
console_page console-audit-subject compliance-officer "$C/audit?subject=$(jq -rn --arg s "$SUBJECT" '$s | @uri')" || true
console_page console-audit-actor-time compliance-officer "$C/audit?actor=$(jq -rn --arg s "$ACTOR" '$s | @uri')&from=$FROM&to=$TO" || true
console_page console-audit-deep compliance-officer "$C/audit?cursor=$DEEP" || true
console_page console-audit-subjects compliance-officer "$C/audit?subject=$(jq -rn --arg s "$SUBJECTS" '$s | @uri')" || true
console_page console-audit-actors-time compliance-officer "$C/audit?actor=$(jq -rn --arg s "$ACTORS" '$s | @uri')&from=$FROM&to=$TO" || true

# ---------------------------------------------------------------- 6. the plans of the console's main queries
# the statements as the product issues them (AuditRecords.find: JPQL over aud_record, 51 rows; StaffPrivacyDesk.list, then one view per listed request, up to 200)
NOW=$(date -u +'%Y-%m-%d %H:%M:%S')
OPEN="'RECEIVED','IDENTITY_UNVERIFIED','VERIFIED','AWAITING_APPROVAL','IN_PROGRESS','REQUIRES_INPUT'"
{
    echo "audit by subject:"; sql -t -e "EXPLAIN SELECT * FROM aud_record WHERE seq > 0 AND subject_ref = '$SUBJECT' ORDER BY seq LIMIT 51"
    echo "audit by actor + time range:"; sql -t -e "EXPLAIN SELECT * FROM aud_record WHERE seq > 0 AND actor = '$ACTOR' AND occurred_at >= '$FROM' AND occurred_at < '$TO' ORDER BY seq LIMIT 51"
    IN_SUBJECTS="'${SUBJECTS//,/\',\'}'"; IN_ACTORS="'${ACTORS//,/\',\'}'"
    echo "audit by 3 subjects:"; sql -t -e "EXPLAIN SELECT * FROM aud_record WHERE seq > 0 AND subject_ref IN ($IN_SUBJECTS) ORDER BY seq LIMIT 51"
    echo "audit by 3 actors + time range:"; sql -t -e "EXPLAIN SELECT * FROM aud_record WHERE seq > 0 AND actor IN ($IN_ACTORS) AND occurred_at >= '$FROM' AND occurred_at < '$TO' ORDER BY seq LIMIT 51"
    echo "audit, deep page:"; sql -t -e "EXPLAIN SELECT * FROM aud_record WHERE seq > $((HEAD / 2)) ORDER BY seq LIMIT 51"
    echo "requests due within 7 days:"; sql -t -e "EXPLAIN SELECT * FROM prv_request WHERE state IN ($OPEN) AND due_at >= '$NOW' AND due_at < '$NOW' + INTERVAL 7 DAY ORDER BY due_at, id LIMIT 200"
    echo "requests overdue:"; sql -t -e "EXPLAIN SELECT * FROM prv_request WHERE state IN ($OPEN) AND due_at < '$NOW' ORDER BY due_at, id LIMIT 200"
    echo "overview counts:"; sql -t -e "EXPLAIN SELECT COUNT(*), SUM(due_at >= '$NOW' AND due_at < '$NOW' + INTERVAL 7 DAY), SUM(due_at < '$NOW') FROM prv_request WHERE state IN ($OPEN)"
} >"$WORK/plans.txt" 2>&1 || true

# ---------------------------------------------------------------- the table
AUDIT_IN=$(sql -e 'SELECT COUNT(*) FROM aud_record'); NUMBERED=$HEAD
REQ_IN=$(sql -e 'SELECT COUNT(*) FROM prv_request')
REQ_STATES=$(sql -e 'SELECT state, COUNT(*) FROM prv_request GROUP BY state' | awk '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $1, $2 }')
GUESTS_END=$(sql -e 'SELECT COUNT(*) FROM idn_guest')
SUBJECT_N=$(sql -e "SELECT COUNT(*) FROM aud_record WHERE subject_ref = '$SUBJECT'")
ACTOR_N=$(sql -e "SELECT COUNT(*) FROM aud_record WHERE actor = '$ACTOR'")
ACTOR_RANGE_N=$(sql -e "SELECT COUNT(*) FROM aud_record WHERE actor = '$ACTOR' AND occurred_at >= '$FROM' AND occurred_at < '$TO'")
SUBJECTS_N=$(sql -e "SELECT COUNT(*) FROM aud_record WHERE subject_ref IN ('${SUBJECTS//,/\',\'}')")
ACTORS_RANGE_N=$(sql -e "SELECT COUNT(*) FROM aud_record WHERE actor IN ('${ACTORS//,/\',\'}') AND occurred_at >= '$FROM' AND occurred_at < '$TO'")
row() { # label name target
    local p99 verdict
    p99=$(pct 99 "$2")
    verdict=$(awk -v v="$p99" -v t="$3" 'BEGIN { print (v != "-" && v + 0 <= t) ? "meets" : "MISSES" }')
    echo "| $1 | $(cat "$WORK/t/$2" 2>/dev/null | wc -l) | $(pct 50 "$2") | $(pct 95 "$2") | $p99 | ≤ $3 | $verdict | $(sort "$WORK/t/$2.status" 2>/dev/null | uniq -c | awk '{ printf "%s%s×%s", (NR > 1 ? " " : ""), $1, $2 }') |"
}
{
echo "## guestbridge page benchmark — $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "build: HEAD $(git -C "$ROOT" rev-parse --short HEAD), WAR built $(date -u -r "$ROOT/modules/app/target/guestbridge.war" +%Y-%m-%dT%H:%M:%SZ)."
echo "machine: $(lscpu | awk -F: '/Model name/ { gsub(/^ +/, "", $2); print $2; exit }'), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB RAM", $2 / 1048576}' /proc/meminfo);"
echo "server -Xmx768m SerialGC on the launcher's embedded MariaDB; curl and the server share the cores; one request at a time."
echo "Privacy center limits raised for the run (every request comes from 127.0.0.1): privacy.intake.per-email-per-hour,"
echo "privacy.intake.per-address-per-hour, privacy.guessing.wrong-codes-per-hour, privacy.guessing.unknown-links-per-hour = 1,000,000;"
echo "privacy.verification.window-minutes = 144,000 (the unverified requests, moved back up to 44 days, stay open)."
echo
echo "data reached: $GUESTS_IN guests imported by one CSV import ($(cat "$WORK/import.json"), ${IMPORT_S} s; $GUESTS_END at the end, after the"
echo "erasures); $AUDIT_IN audit records ($HAVE written by the product, the rest inserted unnumbered as the audit writer does and"
echo "numbered by the product's sequencer: $NUMBERED numbered; settled=$settled in ${SETTLE_S} s); $REQ_IN privacy requests ($REQ_STATES)."
echo
echo "Server time = curl's time_starttransfer on loopback, ms; $ROUNDS measured requests per page after $WARMUP warm-up ones."
echo
echo "| page | n | p50 | p95 | p99 | target p99 | | statuses |"
echo "|---|---:|---:|---:|---:|---:|---|---|"
row "privacy center: start page (GET /privacy/)" pc-start 50
row "privacy center: email form post (answers with the code page)" pc-email-post 50
row "privacy center: code page (post without a code shows it again)" pc-code-page 50
row "privacy center: code post (verifies, confirmed page)" pc-code-post 50
row "privacy center: follow form (GET /privacy/follow)" pc-follow-page 50
row "privacy center: follow post (answers with the proof code page)" pc-follow-post 50
row "privacy center: proof post (answers with the request's status)" pc-proof-post 50
row "privacy center: consent form (GET /privacy/consent)" pc-consent-page 50
row "**erasure flow, 5 answers** (start, email post, code post, follow post, proof post)" pc-erasure-flow 1000
row "console: overview" console-overview 200
row "console: requests due within 7 days" console-requests-within-7-days 200
row "console: requests overdue" console-requests-overdue 200
row "console: one request's page" console-request 200
row "console: audit by subject ($SUBJECT_N records of one guest)" console-audit-subject 200
row "console: audit by actor + 30 days ($ACTOR_RANGE_N of the actor's $ACTOR_N records)" console-audit-actor-time 200
row "console: audit page half-way down the trail (cursor after seq $((HEAD / 2)))" console-audit-deep 200
row "console: audit by 3 subjects ($SUBJECTS_N records)" console-audit-subjects 200
row "console: audit by 3 actors + 30 days ($ACTORS_RANGE_N records)" console-audit-actors-time 200
echo
echo "Plans of the console's main queries (EXPLAIN, as the product issues them):"
echo '```'
cat "$WORK/plans.txt"
echo '```'
} | tee "$TARGET/results.md"
cp "$TARGET/results.md" "$TARGET/results-$TAG.md"
