#!/usr/bin/env bash
# Starts guestbridge's cluster topology on this machine, on 127.0.0.1 only (settings: see cluster.sh):
#
#   deploy/cluster/start.sh               3 Galera nodes, the database's HAProxy, CLUSTER_INSTANCES guestbridge instances,
#                                        HAProxy in front of them
#   deploy/cluster/start.sh nodes         the 3 Galera nodes and guestbridge's databases only
#   deploy/cluster/start.sh database-balancer  the database's HAProxy, which the instances connect to
#   deploy/cluster/start.sh node N        one Galera node (it joins the running ones; bootstraps if none runs)
#   deploy/cluster/start.sh instance N    one guestbridge instance; one beyond CLUSTER_INSTANCES joins the running
#                                        cluster (HAProxy routes to it if it has a slot: CLUSTER_BALANCER_SLOTS)
#   deploy/cluster/start.sh balancer      HAProxy
#
# Whatever already runs is left as it is, so the same command brings back what was stopped or killed.
# Needs Debian's mariadb-server, galera-4, rsync, haproxy and socat (.ci/run installs them), Java 17 and the built
# launcher (mvn -q -DskipTests package).
source "$(dirname "${BASH_SOURCE[0]}")/cluster.sh"

[[ -f $GALERA ]] || die "no Galera provider at $GALERA: install Debian's galera-4 and mariadb-server"
command -v socat >/dev/null 2>&1 || die "no socat: install Debian's socat (the database balancer's check reaches HAProxy's runtime API through it)"

write_node_config() {
    local n=$1 dir cluster=() i
    dir=$(node_dir "$n")
    for ((i = 1; i <= NODES; i++)); do cluster+=("127.0.0.1:$(galera_port "$i")"); done
    local IFS=,
    cat >"$W/galera/node$n.cnf" <<EOF
[mysqld]
datadir=$dir
socket=$(node_socket "$n")
pid-file=$W/galera/node$n.pid
port=$(sql_port "$n")
bind-address=127.0.0.1
skip-name-resolve
log-error=$W/galera/node$n.err
collation-server=utf8mb4_unicode_ci
character-set-server=utf8mb4
max-connections=300
innodb_buffer_pool_size=96M
innodb_log_file_size=48M
# what Galera needs: row-based replication, InnoDB, interleaved auto-increment locks
binlog_format=ROW
default_storage_engine=InnoDB
innodb_autoinc_lock_mode=2
# the audit trail's triggers are created by the data user, which has no SUPER right
log-bin-trust-function-creators=1
wsrep_on=ON
wsrep_provider=$GALERA
wsrep_cluster_name=guestbridge
wsrep_cluster_address=gcomm://${cluster[*]}
wsrep_node_name=node$n
wsrep_node_address=127.0.0.1:$(galera_port "$n")
wsrep_node_incoming_address=127.0.0.1:$(sql_port "$n")
wsrep_provider_options="gmcast.listen_addr=tcp://127.0.0.1:$(galera_port "$n");ist.recv_addr=127.0.0.1:$(ist_port "$n");gcache.size=128M"
wsrep_sst_method=$SST
wsrep_sst_receive_address=127.0.0.1:$(sst_port "$n")
EOF
}

start_node() {
    local n=$1 dir bootstrap=() user how=""
    if node_running "$n"; then
        say "node $n already runs (127.0.0.1:$(sql_port "$n"))"
        return
    fi
    dir=$(node_dir "$n")
    mkdir -p "$W/galera"
    write_node_config "$n"
    user=$(id -un)
    if (($(id -u) == 0)); then
        # never as root: the rsync daemon of Galera's state transfer, started by root, switches to "nobody" and cannot
        # write the data directory. As root the nodes run as Debian's mysql user, which must reach the work directory
        user=mysql
        chown -R mysql:mysql "$W/galera"
        su -s /bin/sh mysql -c "test -w '$W/galera'" ||
            die "the mysql user cannot reach $W/galera: as root, set GUESTBRIDGE_CLUSTER_DIR to a directory every user can traverse"
    fi
    if [[ ! -d $dir/mysql ]]; then
        mkdir -p "$dir"
        [[ $user == "$(id -un)" ]] || chown "$user": "$dir"
        mariadb-install-db --no-defaults --datadir="$dir" --user="$user" --auth-root-authentication-method=socket \
            --skip-test-db >"$W/logs/node$n-install.log" 2>&1 || die "mariadb-install-db failed for node $n: see $W/logs/node$n-install.log"
    fi
    if ! any_node_running; then
        # nobody to join: this node starts the cluster, if its state is the latest (Galera marks the last node to stop)
        if [[ -f $dir/grastate.dat ]] && grep -q '^safe_to_bootstrap: 0' "$dir/grastate.dat"; then
            local other
            for ((other = 1; other <= NODES; other++)); do
                if [[ -f $(node_dir "$other")/grastate.dat ]] && grep -q '^safe_to_bootstrap: 1' "$(node_dir "$other")/grastate.dat"; then
                    die "node $n did not stop last; start node $other first (it holds the latest state)"
                fi
            done
            say "no node is marked safe to bootstrap (all were killed): node $n starts the cluster with its own state"
            sed -i 's/^safe_to_bootstrap: 0/safe_to_bootstrap: 1/' "$dir/grastate.dat"
        fi
        bootstrap=(--wsrep-new-cluster)
        how=" (bootstrapped the cluster)"
    fi
    # its own session: a Ctrl-C in this terminal does not reach the node
    setsid mariadbd --defaults-file="$W/galera/node$n.cnf" --user="$user" "${bootstrap[@]}" >>"$W/logs/node$n.out" 2>&1 </dev/null &
    echo $! >"$RUN/node$n.pid"
    local deadline=$((SECONDS + 180))
    until [[ $(node_state "$n") == Synced ]]; do
        node_running "$n" || die "node $n stopped while starting: see $W/galera/node$n.err"
        ((SECONDS < deadline)) || die "node $n not synced within 180 s: see $W/galera/node$n.err"
        sleep 0.5
    done
    say "node $n synced on 127.0.0.1:$(sql_port "$n")$how"
}

# the two databases and their users, once, on a synced node (Galera replicates the accounts as DDL)
prepare_databases() {
    local n=$1 secrets=$W/secrets
    mkdir -p "$secrets" && chmod 700 "$secrets"
    [[ -s $secrets/db-password ]] || (umask 077 && head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$secrets/db-password")
    [[ -s $secrets/keys-db-password ]] || (umask 077 && head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$secrets/keys-db-password")
    [[ -s $secrets/check-db-password ]] || (umask 077 && head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$secrets/check-db-password")
    node_sql "$n" <<EOF
CREATE DATABASE IF NOT EXISTS guestbridge CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE DATABASE IF NOT EXISTS guestbridge_keys CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'guestbridge'@'127.0.0.1' IDENTIFIED BY '$(cat "$secrets/db-password")';
GRANT ALL PRIVILEGES ON guestbridge.* TO 'guestbridge'@'127.0.0.1';
CREATE USER IF NOT EXISTS 'guestbridge_keys'@'127.0.0.1' IDENTIFIED BY '$(cat "$secrets/keys-db-password")';
GRANT ALL PRIVILEGES ON guestbridge_keys.* TO 'guestbridge_keys'@'127.0.0.1';
-- the database balancer's health check: no privilege, it reads the server's status only
CREATE USER IF NOT EXISTS 'guestbridge_check'@'127.0.0.1' IDENTIFIED BY '$(cat "$secrets/check-db-password")';
EOF
}

start_instance() {
    local n=$1 home port
    home=$W/instance-$n
    port=$(instance_port "$n")
    if running_pid "$RUN/instance-$n.pid" >/dev/null; then
        say "instance $n already runs (127.0.0.1:$port)"
        return
    fi
    [[ -f $LAUNCHER_JAR ]] || die "no launcher at $LAUNCHER_JAR: build it first (mvn -q -DskipTests package)"
    mkdir -p "$home" "$W/dev-keys"
    # every instance uses the same keys (the master key that wraps the data keys, the audit signing key, the
    # development token issuer): one deployment, whichever instance answers
    [[ -L $home/dev-keys ]] || ln -s "$W/dev-keys" "$home/dev-keys"
    (
        export GUESTBRIDGE_HOME=$home HTTP_PORT=$port HTTPS_PORT=0
        export DB_URL DB_USER=guestbridge DB_PASSWORD KEYS_DB_URL KEYS_DB_USER=guestbridge_keys KEYS_DB_PASSWORD
        DB_URL=$(jdbc_url guestbridge)
        KEYS_DB_URL=$(jdbc_url guestbridge_keys)
        DB_PASSWORD=$(cat "$W/secrets/db-password")
        KEYS_DB_PASSWORD=$(cat "$W/secrets/keys-db-password")
        # HAProxy's X-Forwarded-For names the client
        export HTTP_TRUSTED_PROXIES=${HTTP_TRUSTED_PROXIES:-127.0.0.1}
        exec setsid java -jar "$LAUNCHER_JAR" >"$W/logs/instance-$n.out" 2>&1 </dev/null
    ) &
    echo $! >"$RUN/instance-$n.pid"
}

await_instance() {
    local n=$1 port deadline=$((SECONDS + 300))
    port=$(instance_port "$n")
    until curl -fs -o /dev/null "http://127.0.0.1:$port/health/ready"; do
        running_pid "$RUN/instance-$n.pid" >/dev/null || die "instance $n stopped while starting: see $W/logs/instance-$n.out and $W/instance-$n/logs"
        ((SECONDS < deadline)) || die "instance $n not ready within 300 s: see $W/instance-$n/logs/server.log"
        sleep 1
    done
    say "instance $n ready on 127.0.0.1:$port"
}

start_balancer() {
    local dir=$W/haproxy i
    if running_pid "$RUN/haproxy.pid" >/dev/null; then
        say "HAProxy already runs (127.0.0.1:$LB_PORT)"
        return
    fi
    mkdir -p "$dir"
    # deploy/haproxy's production configuration with one server line per instance; its problem bodies and Lua
    # script are found beside the file
    ln -sfn "$REPO/deploy/haproxy/problems" "$dir/problems"
    ln -sf "$REPO/deploy/haproxy/problems.lua" "$dir/problems.lua"
    {
        grep -v '^    server instance-1 ' "$REPO/deploy/haproxy/haproxy.cfg"
        # a slot beyond the running instances is DOWN by its health check until an instance is started there
        # (start.sh instance N): it joins within two checks, with no reload of the balancer
        for ((i = 1; i <= BALANCER_SLOTS; i++)); do
            echo "    server instance-$i 127.0.0.1:$(instance_port "$i")"
        done
    } >"$dir/haproxy.cfg"
    GUESTBRIDGE_LB_BIND=127.0.0.1:$LB_PORT setsid haproxy -db -f "$dir/haproxy.cfg" >"$W/logs/haproxy.log" 2>&1 </dev/null &
    echo $! >"$RUN/haproxy.pid"
    sleep 0.5
    running_pid "$RUN/haproxy.pid" >/dev/null || die "HAProxy did not start: see $W/logs/haproxy.log"
    say "HAProxy on http://127.0.0.1:$LB_PORT, checking /health/ready of $BALANCER_SLOTS instance slot(s)"
}

start_database_balancer() {
    local dir=$W/haproxy-db deadline
    if running_pid "$RUN/haproxy-db.pid" >/dev/null; then
        say "the database's HAProxy already runs (127.0.0.1:$DB_PORT)"
        return
    fi
    mkdir -p "$dir"
    # a Unix socket's path holds at most 107 bytes ("/galera-admin.sock" is 18 of them)
    ((${#dir} + 18 <= 107)) ||
        die "$dir/galera-admin.sock, the database balancer's runtime socket, is longer than a Unix socket's path may be: set GUESTBRIDGE_CLUSTER_DIR to a shorter directory"
    # deploy/haproxy's production configuration and check, with the check's account beside them (for HAProxy's user only)
    ln -sf "$REPO/deploy/haproxy/galera.cfg" "$dir/galera.cfg"
    ln -sf "$REPO/deploy/haproxy/galera-check.sh" "$dir/galera-check.sh"
    (umask 077 && printf '[client]\nuser=guestbridge_check\npassword=%s\n' "$(cat "$W/secrets/check-db-password")" >"$dir/galera-check.cnf")
    GUESTBRIDGE_DB_BIND=127.0.0.1:$DB_PORT GUESTBRIDGE_DB_NODE_1=127.0.0.1:$(sql_port 1) GUESTBRIDGE_DB_NODE_2=127.0.0.1:$(sql_port 2) \
        GUESTBRIDGE_DB_NODE_3=127.0.0.1:$(sql_port 3) GUESTBRIDGE_DB_CHECK=$dir/galera-check.sh \
        GUESTBRIDGE_DB_ADMIN_SOCKET=$dir/galera-admin.sock setsid haproxy -db -f "$dir/galera.cfg" >"$W/logs/haproxy-db.log" 2>&1 </dev/null &
    echo $! >"$RUN/haproxy-db.pid"
    # ready once a node passes its check and takes connections
    deadline=$((SECONDS + 30))
    until mariadb --defaults-file="$dir/galera-check.cnf" --protocol=TCP -h 127.0.0.1 -P "$DB_PORT" -N -B -e "SELECT 1" >/dev/null 2>&1; do
        running_pid "$RUN/haproxy-db.pid" >/dev/null || die "the database's HAProxy did not start: see $W/logs/haproxy-db.log"
        ((SECONDS < deadline)) || die "no Galera node passed the database's HAProxy check within 30 s: see $W/logs/haproxy-db.log"
        sleep 0.25
    done
    say "the database's HAProxy on 127.0.0.1:$DB_PORT, writing through one synced node at a time"
}

# Nodes 2 and 3, never started, begin as copies of node 1's data directory, taken while node 1 is stopped cleanly:
# they join with the same state, by IST, and no full state transfer (SST) runs. That keeps the first start quick
# and works as root too, where rsync's SST daemon would write as "nobody" into root's data directories and fail.
seed_new_nodes() {
    local n seeded=()
    for ((n = 2; n <= NODES; n++)); do
        [[ -d $(node_dir "$n")/mysql ]] || seeded+=("$n")
    done
    ((${#seeded[@]})) || return 0
    ((${#seeded[@]} == NODES - 1)) && ! node_running 2 && ! node_running 3 || return 0
    bash "$(dirname "${BASH_SOURCE[0]}")/stop.sh" node 1 >/dev/null
    for n in "${seeded[@]}"; do
        rm -rf "$(node_dir "$n")"
        cp -a "$(node_dir 1)" "$(node_dir "$n")"
        rm -f "$(node_dir "$n")/gvwstate.dat"
        sed -i 's/^safe_to_bootstrap: 1/safe_to_bootstrap: 0/' "$(node_dir "$n")/grastate.dat"
    done
    say "nodes ${seeded[*]} seeded from node 1's data"
    start_node 1
}

start_nodes() {
    local n
    start_node 1
    prepare_databases 1
    seed_new_nodes
    for ((n = 2; n <= NODES; n++)); do start_node "$n"; done
}

case "${1:-all}" in
    nodes) start_nodes ;;
    node) start_node "${2:?node number}" ;;
    instance) start_instance "${2:?instance number}" && await_instance "$2" ;;
    balancer) start_balancer ;;
    database-balancer) start_database_balancer ;;
    all)
        start_nodes
        start_database_balancer
        # the first instance alone migrates the schema and creates the shared keys; the others start together after it
        start_instance 1
        await_instance 1
        for ((n = 2; n <= INSTANCES; n++)); do start_instance "$n"; done
        for ((n = 2; n <= INSTANCES; n++)); do await_instance "$n"; done
        start_balancer
        say "ready: http://127.0.0.1:$LB_PORT (a token: GUESTBRIDGE_HOME=$W/instance-1 java -jar $LAUNCHER_JAR token operator)"
        ;;
    *) die "usage: start.sh [all | nodes | node N | database-balancer | instance N | balancer]" ;;
esac
