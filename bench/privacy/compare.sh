#!/usr/bin/env bash
# One table of two erasure benchmark results (bench/privacy/run.sh's results-<tag>.md): a base revision's and this build's,
# measured one after the other in the same run (BASE_REV=… bench/privacy/run.sh), and this build over the base.
#   bench/privacy/compare.sh <base rev> <base results.md> <this build's results.md>
set -euo pipefail
REV=$1; BASE=$2; THIS=$3
# the value of a table row's column ($1: the row's first words, $2: the column, counted from 1 after the leading '|')
cell() { awk -F'|' -v row="$2" -v col="$3" 'index($2, row) == 2 { v = $(col + 1); gsub(/^ +| +$/, "", v); sub(/ req\/s$/, "", v); print v; exit }' "$1"; }
# a figure of the concurrent run's CPU line: "server 55 s", "database 31 s"
cpu() { sed -nE "s/^Concurrent run, .* $2 ([0-9.]+) s[ ,].*/\1/p" "$1" | head -1; }
row() { # label, base value, this value
    local ratio='–'
    if [[ $2 =~ ^[0-9.]+$ ]] && [[ $3 =~ ^[0-9.]+$ ]] && [ "$(echo "$2 > 0" | bc)" = 1 ]; then ratio=$(echo "scale=2; $3 / $2" | bc | sed 's/^\./0./'); fi
    echo "| $1 | $2 | $3 | $ratio |"
}
N=$(awk -F'|' '$2 ~ / concurrent $/ { gsub(/ /, "", $3); print $3; exit }' "$THIS")
echo "## guestbridge erasure benchmark — base $REV and this build, measured one after the other"
echo
sed -n 's/^machine: /machine: /p' "$THIS"
sed -n 's/^build: /this build: /p' "$THIS"
sed -n 's/^build: /base: /p' "$BASE"
echo
echo "| measure | base | this build | this / base |"
echo "|---|---:|---:|---:|"
row "sequential p50 ms" "$(cell "$BASE" "sequential" 3)" "$(cell "$THIS" "sequential" 3)"
row "sequential p95 ms" "$(cell "$BASE" "sequential" 4)" "$(cell "$THIS" "sequential" 4)"
row "$N concurrent p50 ms" "$(cell "$BASE" "$N concurrent" 3)" "$(cell "$THIS" "$N concurrent" 3)"
row "$N concurrent p95 ms" "$(cell "$BASE" "$N concurrent" 4)" "$(cell "$THIS" "$N concurrent" 4)"
row "$N concurrent slowest ms" "$(cell "$BASE" "$N concurrent" 5)" "$(cell "$THIS" "$N concurrent" 5)"
row "$N concurrent throughput, requests/s" "$(cell "$BASE" "$N concurrent" 7)" "$(cell "$THIS" "$N concurrent" 7)"
row "concurrent run: server CPU s" "$(cpu "$BASE" server)" "$(cpu "$THIS" server)"
row "concurrent run: database CPU s" "$(cpu "$BASE" database)" "$(cpu "$THIS" database)"
echo
echo "Each run's whole table: $BASE and $THIS."
