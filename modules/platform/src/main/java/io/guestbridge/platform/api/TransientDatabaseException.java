package io.guestbridge.platform.api;

import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * A database error that the same transaction, run again a moment later, may not meet: a deadlock (MariaDB
 * 1213, SQL state 40001, which rolls the whole transaction back) or a lock wait timeout (1205, which leaves
 * the transaction open but the statement undone). Short transactions on a contended row are retried on it
 * with MicroProfile Fault Tolerance's {@code @Retry}, around the transaction, never inside it.
 */
public class TransientDatabaseException extends IllegalStateException {

    private static final int LOCK_WAIT_TIMEOUT = 1205;
    private static final int DEADLOCK = 1213;
    /** MariaDB's messages for 1213 (also a Galera certification failure) and 1205, as the transaction manager keeps them. */
    private static final String DEADLOCK_MESSAGE = "Deadlock found when trying to get lock";
    private static final String LOCK_WAIT_MESSAGE = "Lock wait timeout exceeded";

    public TransientDatabaseException(String message, SQLException cause) {
        super(message, cause);
    }

    /**
     * A transaction of its own whose commit failed ({@code jakarta.transaction.TransactionalException} from the
     * transaction's interceptor, not from the method's work): on a Galera cluster, what two nodes committed on the same
     * row at once is refused to one of them at its commit (certification, reported as deadlock 1213), and the
     * transaction is rolled back. Only for a transaction that may run again whatever the outcome was.
     */
    public TransientDatabaseException(String message, jakarta.transaction.TransactionalException cause) {
        super(message, cause);
    }

    /** Whether the error is one that running the transaction again may not meet. */
    public static boolean isTransient(SQLException e) {
        return e instanceof SQLTransientException || "40001".equals(e.getSQLState())
                || e.getErrorCode() == DEADLOCK || e.getErrorCode() == LOCK_WAIT_TIMEOUT;
    }

    /**
     * Whether a failed transaction failed on such an error anywhere in its chain of causes. A refusal at the commit
     * reaches the caller through the transaction manager (a RollbackException around an XAException around the
     * connector's LocalTransactionException), which keeps the driver's message but not always its SQLException: so the
     * server's own words for a deadlock, which MariaDB also uses for a Galera certification failure, count too.
     */
    public static boolean isTransient(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof TransientDatabaseException) {
                return true;
            }
            if (t instanceof SQLException sql) {
                for (SQLException next = sql; next != null && (next == sql || seen.add(next)); next = next.getNextException()) {
                    if (isTransient(next)) {
                        return true;
                    }
                }
            }
            String message = t.getMessage();
            if (message != null && (message.contains(DEADLOCK_MESSAGE) || message.contains(LOCK_WAIT_MESSAGE))) {
                return true;
            }
        }
        return false;
    }
}
