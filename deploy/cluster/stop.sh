#!/usr/bin/env bash
# Stops what deploy/cluster/start.sh started (settings: see cluster.sh):
#
#   deploy/cluster/stop.sh               HAProxy, the instances, the database's HAProxy, then the Galera nodes (the
#                                        last stopped, node 1, holds the latest state and bootstraps the next start)
#   deploy/cluster/stop.sh node N        one Galera node, cleanly (the others go on as the cluster)
#   deploy/cluster/stop.sh instance N    one guestbridge instance (its launcher stops its server)
#   deploy/cluster/stop.sh balancer      HAProxy
#   deploy/cluster/stop.sh database-balancer  the database's HAProxy
#
# The data stays in GUESTBRIDGE_CLUSTER_DIR; remove that directory to start afresh.
source "$(dirname "${BASH_SOURCE[0]}")/cluster.sh"

# TERM, then KILL after a grace period; only the process named in our pid file
stop_pid_file() {
    local file=$1 what=$2 grace=${3:-60} pid
    if ! pid=$(running_pid "$file"); then
        rm -f "$file"
        return
    fi
    kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + grace))
    while kill -0 "$pid" 2>/dev/null; do
        if ((SECONDS >= deadline)); then
            say "$what did not stop within $grace s: killed"
            kill -KILL "$pid" 2>/dev/null || true
            break
        fi
        sleep 0.2
    done
    rm -f "$file"
    say "$what stopped"
}

stop_instance() {
    local n=$1 server
    stop_pid_file "$RUN/instance-$n.pid" "instance $n" 60
    # a server whose launcher was killed keeps running (it writes its own log): it goes too
    server=$(running_pid "$W/instance-$n/payara/server.pid" || true)
    if [[ -n $server ]]; then
        stop_pid_file "$W/instance-$n/payara/server.pid" "instance $n's server" 30
    fi
}

case "${1:-all}" in
    node) stop_pid_file "$RUN/node${2:?node number}.pid" "node $2" 120 ;;
    instance) stop_instance "${2:?instance number}" ;;
    balancer) stop_pid_file "$RUN/haproxy.pid" "HAProxy" 10 ;;
    database-balancer) stop_pid_file "$RUN/haproxy-db.pid" "the database's HAProxy" 10 ;;
    all)
        stop_pid_file "$RUN/haproxy.pid" "HAProxy" 10
        for f in "$RUN"/instance-*.pid; do
            [[ -e $f ]] || continue
            n=${f##*/instance-}
            stop_instance "${n%.pid}"
        done
        stop_pid_file "$RUN/haproxy-db.pid" "the database's HAProxy" 10
        for ((n = NODES; n >= 1; n--)); do stop_pid_file "$RUN/node$n.pid" "node $n" 120; done
        ;;
    *) die "usage: stop.sh [all | node N | database-balancer | instance N | balancer]" ;;
esac
