package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.TransientDatabaseException;
import jakarta.interceptor.InvocationContext;
import jakarta.transaction.RollbackException;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.TransactionalException;
import org.junit.jupiter.api.Test;

import javax.transaction.xa.XAException;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConflictRetryInterceptorTest {

    /**
     * What a commit refused by Galera's certification looked like from a {@code @Transactional} method on Payara: the
     * driver's words survive in the XAException's message, its SQLException does not.
     */
    static TransactionalException refusedAtCommit() {
        XAException xa = new XAException("com.sun.appserv.connectors.internal.api.LocalTransactionException: "
                + "(conn=1234) Deadlock found when trying to get lock; try restarting transaction");
        RollbackException rollback = new RollbackException("the transaction was rolled back at its commit");
        rollback.initCause(xa);
        return new TransactionalException("Managed bean with Transactional annotation and TxType of REQUIRED encountered exception during commit",
                rollback);
    }

    @Test
    void aCommitRefusedAsAConflictIsTransientWhereverTheDriversErrorSits() {
        assertTrue(TransientDatabaseException.isTransient(refusedAtCommit()), "by the server's message");
        assertTrue(TransientDatabaseException.isTransient(new IllegalStateException("flush failed",
                new SQLTransactionRollbackException("x", "40001", 1213))), "by an SQLException in the chain");
        SQLException batch = new SQLException("batch failed", "HY000", 0);
        batch.setNextException(new SQLException("Lock wait timeout exceeded", "HY000", 1205));
        assertTrue(TransientDatabaseException.isTransient(new RuntimeException(batch)), "by a chained next exception");
        assertFalse(TransientDatabaseException.isTransient(new TransactionalException("commit failed",
                new SQLException("Duplicate entry", "23000", 1062))), "a duplicate key fails again on every attempt");
        assertFalse(TransientDatabaseException.isTransient(new IllegalArgumentException("no such request")));
    }

    @Test
    void aTransactionRefusedAsAConflictRunsAgainUntilItCommits() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        Object result = ConflictRetryInterceptor.attempt(() -> {
            if (runs.incrementAndGet() < ConflictRetryInterceptor.ATTEMPTS) {
                throw refusedAtCommit();
            }
            return "committed";
        }, "test");
        assertEquals("committed", result);
        assertEquals(ConflictRetryInterceptor.ATTEMPTS, runs.get());
    }

    @Test
    void aConflictThatKeepsComingBackGoesToTheCallerAfterTheLastAttempt() {
        AtomicInteger runs = new AtomicInteger();
        TransactionalException last = refusedAtCommit();
        TransactionalException thrown = assertThrows(TransactionalException.class, () -> ConflictRetryInterceptor.attempt(() -> {
            runs.incrementAndGet();
            throw last;
        }, "test"));
        assertSame(last, thrown);
        assertEquals(ConflictRetryInterceptor.ATTEMPTS, runs.get());
    }

    @Test
    void anyOtherFailureGoesToTheCallerAtOnce() {
        AtomicInteger runs = new AtomicInteger();
        assertThrows(IllegalArgumentException.class, () -> ConflictRetryInterceptor.attempt(() -> {
            runs.incrementAndGet();
            throw new IllegalArgumentException("no such request");
        }, "test"));
        assertEquals(1, runs.get());
    }

    @Test
    void insideTheCallersTransactionTheFailureIsTheCallers() {
        ConflictRetryInterceptor interceptor = new ConflictRetryInterceptor();
        interceptor.transactions = registry(Status.STATUS_ACTIVE);
        AtomicInteger runs = new AtomicInteger();
        assertThrows(TransactionalException.class, () -> interceptor.retry(invocation(runs)));
        assertEquals(1, runs.get(), "not run again inside a transaction it did not begin");

        interceptor.transactions = registry(Status.STATUS_NO_TRANSACTION);
        runs.set(0);
        assertThrows(TransactionalException.class, () -> interceptor.retry(invocation(runs)));
        assertEquals(ConflictRetryInterceptor.ATTEMPTS, runs.get(), "run again when the transaction is its own");
    }

    private static TransactionSynchronizationRegistry registry(int status) {
        return (TransactionSynchronizationRegistry) Proxy.newProxyInstance(ConflictRetryInterceptorTest.class.getClassLoader(),
                new Class<?>[]{TransactionSynchronizationRegistry.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getTransactionStatus")) {
                        return status;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static InvocationContext invocation(AtomicInteger runs) throws NoSuchMethodException {
        java.lang.reflect.Method method = ConflictRetryInterceptorTest.class.getDeclaredMethod("refusedAtCommit");
        return (InvocationContext) Proxy.newProxyInstance(ConflictRetryInterceptorTest.class.getClassLoader(),
                new Class<?>[]{InvocationContext.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "proceed" -> {
                        runs.incrementAndGet();
                        throw refusedAtCommit();
                    }
                    case "getMethod" -> method;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }
}
