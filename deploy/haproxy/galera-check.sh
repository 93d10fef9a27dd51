#!/bin/sh
# HAProxy's health check of one MariaDB Galera node (galera.cfg runs it every second for each node; arguments:
# <proxy address> <proxy port> <node address> <node port>). A node passes only when it is synced and in the primary
# component, ready for writes: a node that still joins (IST or SST), a donor held by a state transfer, or a node that
# lost the quorum answers MariaDB's handshake all the same, so a connection check would send writes to it.
#
# The check's account needs no privilege (USAGE reads the server's status); its name and password are in
# galera-check.cnf beside this script, a MariaDB option file readable by HAProxy's user only:
#   [client]
#   user=guestbridge_check
#   password=...
#
# A node that stood in for another keeps its sessions when that node comes back: HAProxy sends new connections to the
# node it prefers (the first one in galera.cfg that is up) and cuts a backup's sessions only when node 1 returns
# (on-marked-up shutdown-backup-sessions). With node 1 down, node 3 standing in for node 2, and node 2 back, node 2
# would take the new connections while node 3 kept the old ones: two nodes written, each hot row a certification
# conflict. So a node that holds sessions while a node listed before it is up and ready has them cut, through HAProxy's
# runtime API (galera-admin.sock beside this script, HAProxy's "stats socket ... level admin"; socat talks to it): the
# instances' pools reopen them on the preferred node, and every connection is on one node again within seconds.
#
# It runs three times a second (once per node), so it starts as few processes as it can: HAProxy's fork, the shell,
# one mariadb client that answers with one line, and socat only on a node that holds sessions and has a node listed
# before it (node 1, which holds them all in the normal case, has none). Each process costs several milliseconds of
# CPU (the mariadb client about 20): with the first form of this check (dirname, three greps, socat on node 1 every
# second) the balancer, proxying and checks together, took 27-31 % of a core on a 2-core test machine, with this one
# 19-22 %.
case $0 in */*) dir=${0%/*} ;; *) dir=. ;; esac
status=$(mariadb --defaults-file="$dir/galera-check.cnf" --protocol=TCP -h "$3" -P "$4" --connect-timeout=2 -N -B -e "SELECT CONCAT_WS(' ', \
    MAX(IF(VARIABLE_NAME = 'WSREP_LOCAL_STATE', VARIABLE_VALUE, NULL)), MAX(IF(VARIABLE_NAME = 'WSREP_CLUSTER_STATUS', VARIABLE_VALUE, NULL)), \
    MAX(IF(VARIABLE_NAME = 'WSREP_READY', VARIABLE_VALUE, NULL))) FROM information_schema.GLOBAL_STATUS" 2>/dev/null) || exit 1
# synced (local state 4), in the primary component, ready for writes
[ "$status" = "4 Primary ON" ] || exit 1

if [ "${HAPROXY_SERVER_CURCONN:-0}" -gt 0 ] && [ "${HAPROXY_SERVER_ID:-1}" -gt 1 ]; then
    admin="$dir/galera-admin.sock"
    # "show servers state": be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state ...; a server is up
    # (op_state 2) and takes connections (admin_state 0: not in maintenance or draining)
    preferred=$(echo "show servers state $HAPROXY_PROXY_NAME" | socat -t 2 - "UNIX-CONNECT:$admin" 2>/dev/null |
        awk -v me="$HAPROXY_SERVER_ID" '$1 ~ /^[0-9]+$/ && NF > 7 && $3 < me && $6 == 2 && $7 == 0 { print $4; exit }')
    if [ -n "$preferred" ]; then
        echo "shutdown sessions server $HAPROXY_PROXY_NAME/$HAPROXY_SERVER_NAME" | socat -t 2 - "UNIX-CONNECT:$admin" >/dev/null 2>&1
        echo "galera-check: $HAPROXY_SERVER_NAME stood in for $preferred, which is up again: its $HAPROXY_SERVER_CURCONN session(s) cut" >&2
    fi
fi
exit 0
