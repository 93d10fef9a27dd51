# guestbridge on one machine as it runs on several: a 3-node MariaDB Galera cluster, N guestbridge instances
# (the launcher jar, each with its own home, all on the cluster) and HAProxy in front, all on 127.0.0.1.
# Sourced by start.sh and stop.sh; everything lives under GUESTBRIDGE_CLUSTER_DIR.
#
# Settings (environment):
#   GUESTBRIDGE_CLUSTER_DIR  work directory (default ~/.guestbridge-cluster): node data, instance homes, logs, pids
#   CLUSTER_PORT_BASE        first port (default 23000): node i listens on BASE+10i (SQL), BASE+10i+1 (Galera
#                            replication, 4567 elsewhere), +2 (IST, 4568), +3 (SST, 4444); HAProxy on BASE+80;
#                            the database's HAProxy on BASE+90; instance i on BASE+100+i
#   CLUSTER_INSTANCES        guestbridge instances (default 2)
#   CLUSTER_BALANCER_SLOTS   instances HAProxy knows (default CLUSTER_INSTANCES): a slot without a running instance
#                            is health-checked DOWN until `start.sh instance N` starts one there
#   CLUSTER_LAUNCHER_JAR     the launcher (default modules/launcher/target/guestbridge-launcher.jar of this repository)
#   CLUSTER_SST              Galera's state transfer for a node that joins empty: rsync (default; works offline on
#                            loopback, and blocks the donor while it copies: fine for trying, see PRODUCTION.md)
#   CLUSTER_LB_PORT          HAProxy's port (default BASE+80)
#   CLUSTER_DB_PORT          the port of the database's HAProxy, which every instance connects to (default BASE+90)
#   CLUSTER_DB_DIRECT        1: an instance started now connects to the nodes themselves, with Connector/J's sequential
#                            failover URL, not through the database's HAProxy (bench/cluster compares the two)
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
W=$(mkdir -p "${GUESTBRIDGE_CLUSTER_DIR:-$HOME/.guestbridge-cluster}" && cd "${GUESTBRIDGE_CLUSTER_DIR:-$HOME/.guestbridge-cluster}" && pwd)
BASE=${CLUSTER_PORT_BASE:-23000}
INSTANCES=${CLUSTER_INSTANCES:-2}
BALANCER_SLOTS=${CLUSTER_BALANCER_SLOTS:-$INSTANCES}
((BALANCER_SLOTS >= INSTANCES)) || BALANCER_SLOTS=$INSTANCES
NODES=3
LAUNCHER_JAR=${CLUSTER_LAUNCHER_JAR:-$REPO/modules/launcher/target/guestbridge-launcher.jar}
SST=${CLUSTER_SST:-rsync}
LB_PORT=${CLUSTER_LB_PORT:-$((BASE + 80))}
DB_PORT=${CLUSTER_DB_PORT:-$((BASE + 90))}
GALERA=/usr/lib/galera/libgalera_smm.so
RUN=$W/run
mkdir -p "$RUN" "$W/logs"

sql_port() { echo $((BASE + 10 * $1)); }
galera_port() { echo $((BASE + 10 * $1 + 1)); }
ist_port() { echo $((BASE + 10 * $1 + 2)); }
sst_port() { echo $((BASE + 10 * $1 + 3)); }
instance_port() { echo $((BASE + 100 + $1)); }
node_dir() { echo "$W/galera/node$1"; }
node_socket() { echo "$W/galera/node$1.sock"; }

say() { echo "cluster: $*"; }
die() { echo "cluster: $*" >&2; exit 1; }

# the pid in a file of ours, if that process still runs
running_pid() {
    local file=$1 pid
    [[ -f $file ]] || return 1
    pid=$(cat "$file")
    [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

# The URL every instance connects with: the database's HAProxy (deploy/haproxy/galera.cfg), which sends every connection
# to one synced node at a time, as Galera advises for hot rows (SKIP LOCKED and row locks are local to a node), and moves
# them all together when that node fails and when node 1 is back.
jdbc_url() {
    if [[ ${CLUSTER_DB_DIRECT:-0} == 1 ]]; then
        local hosts=() i
        for ((i = 1; i <= NODES; i++)); do hosts+=("127.0.0.1:$(sql_port "$i")"); done
        local IFS=,
        echo "jdbc:mariadb:sequential://${hosts[*]}/$1?connectTimeout=3000"
    else
        echo "jdbc:mariadb://127.0.0.1:$DB_PORT/$1?connectTimeout=3000"
    fi
}

node_sql() {
    local n=$1; shift
    # the account of the operating-system user who installed the node, by unix_socket authentication
    mariadb --no-defaults -S "$(node_socket "$n")" -u"$(id -un)" -N -B "$@"
}

node_state() {
    node_sql "$1" -e "SHOW STATUS LIKE 'wsrep_local_state_comment'" 2>/dev/null | awk '{print $2}'
}

node_running() { running_pid "$RUN/node$1.pid" >/dev/null; }

any_node_running() {
    local i
    for ((i = 1; i <= NODES; i++)); do node_running "$i" && return 0; done
    return 1
}

first_synced_node() {
    local i
    for ((i = 1; i <= NODES; i++)); do
        [[ $(node_state "$i") == Synced ]] && { echo "$i"; return 0; }
    done
    die "no Galera node is synced"
}
