# Before/after runs: another revision built beside this tree, for a benchmark to run under the same load in the same
# run. The revision is checked out in a temporary git worktree and built with mvn package: nothing is installed, so the
# jars in ~/.m2 that other builds use stay as they are. Sourced by a run.sh after it has set ROOT; the script calls
# bench_base_remove from its EXIT trap, so the worktree goes also when the run fails or is stopped.

BASE_TREE=

# bench_base_build REV LOG: builds REV, sets BASE_TREE to its tree; the build's output goes to LOG, and its last lines
# to stderr when it fails.
bench_base_build() {
    local rev=$1 log=$2
    BASE_TREE=$(mktemp -d /tmp/guestbridge-base.XXXXXX) && rmdir "$BASE_TREE"
    git -C "$ROOT" worktree add -q --detach "$BASE_TREE" "$rev"
    echo "building $rev (mvn package, nothing installed) in $BASE_TREE…" >&2
    mkdir -p "$(dirname "$log")"
    (cd "$BASE_TREE" && mvn -q -o package -DskipTests >"$log" 2>&1) || { tail -30 "$log" >&2; return 1; }
}

bench_base_remove() {
    if [ -n "$BASE_TREE" ]; then
        git -C "$ROOT" worktree remove --force "$BASE_TREE" 2>/dev/null || rm -rf "$BASE_TREE"
        BASE_TREE=
    fi
}
