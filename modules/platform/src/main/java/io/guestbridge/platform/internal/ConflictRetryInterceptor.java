package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.RetriedOnConflict;
import io.guestbridge.platform.api.TransientDatabaseException;
import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionSynchronizationRegistry;

import java.util.logging.Logger;

/**
 * Runs a {@link RetriedOnConflict} transaction again after the database refused it as a conflict. Its priority puts it
 * outside the {@code @Transactional} interceptor (which Jakarta Transactions places at {@code PLATFORM_BEFORE + 200}),
 * so each attempt is a transaction of its own; MicroProfile Fault Tolerance's {@code @Retry} sits inside it
 * ({@code PLATFORM_AFTER + 10}) and would retry within the failed transaction.
 */
@RetriedOnConflict
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE + 100)
public class ConflictRetryInterceptor {

    private static final Logger LOG = Logger.getLogger(ConflictRetryInterceptor.class.getName());

    /** Attempts in all: a conflict that comes back three times running is load, and the caller's to pace. */
    static final int ATTEMPTS = 3;

    /** The pause's jitter; SecureRandom like every random value of the server (see SecretRandomnessTest). */
    private static final java.security.SecureRandom JITTER = new java.security.SecureRandom();

    @Resource
    TransactionSynchronizationRegistry transactions;

    @AroundInvoke
    public Object retry(InvocationContext invocation) throws Exception {
        if (transactions.getTransactionStatus() != Status.STATUS_NO_TRANSACTION) {
            return invocation.proceed();
        }
        return attempt(invocation::proceed, invocation.getMethod().getDeclaringClass().getSimpleName() + "." + invocation.getMethod().getName());
    }

    /** The work, once, and again after a pause while it fails on a conflict, {@link #ATTEMPTS} times at most. */
    static Object attempt(Work work, String name) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return work.run();
            } catch (Exception e) {
                if (attempt >= ATTEMPTS || !TransientDatabaseException.isTransient(e)) {
                    throw e;
                }
                int done = attempt;
                LOG.info(() -> name + ": the database refused the transaction as a conflict (attempt " + done + " of " + ATTEMPTS + "); running it again");
                // apart, so that two transactions that met do not meet again at once
                Thread.sleep(20L * attempt + JITTER.nextInt(60 * attempt));
            }
        }
    }

    @FunctionalInterface
    interface Work {
        Object run() throws Exception;
    }
}
