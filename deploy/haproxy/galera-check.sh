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
defaults="$(dirname "$0")/galera-check.cnf"
status=$(mariadb --defaults-file="$defaults" --protocol=TCP -h "$3" -P "$4" --connect-timeout=2 -N -B \
    -e "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_local_state', 'wsrep_cluster_status', 'wsrep_ready')" 2>/dev/null) || exit 1
echo "$status" | grep -qx 'wsrep_local_state	4' || exit 1
echo "$status" | grep -qx 'wsrep_cluster_status	Primary' || exit 1
echo "$status" | grep -qx 'wsrep_ready	ON' || exit 1
exit 0
