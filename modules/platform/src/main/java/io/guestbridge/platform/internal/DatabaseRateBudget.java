package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.RateBudget;
import io.guestbridge.platform.api.TransientDatabaseException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionalException;
import org.eclipse.microprofile.faulttolerance.Retry;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * {@link RateBudget} on a row per channel in {@code plt_rate_budget}. Every sending thread of every instance takes
 * from the same row, so a take may meet a deadlock or a lock wait timeout: it is taken again in a new transaction
 * (the retry wraps {@link RateBudgetRow}'s transaction, which a retry inside it could not undo). So is a take whose
 * commit failed: on a Galera cluster, two instances writing the row through two nodes (after a node came back, old
 * connections stay on the other) meet at their commits, and the cluster refuses one of them. Taking again is safe
 * whatever became of the failed commit: a take counted twice only spaces the next request further, never closer.
 */
@ApplicationScoped
public class DatabaseRateBudget implements RateBudget {

    @Inject
    RateBudgetRow row;

    @Override
    // maxDuration in the delay's unit: Payara compares the two numbers without their units
    @Retry(retryOn = TransientDatabaseException.class, maxRetries = 3, delay = 100, jitter = 50, delayUnit = ChronoUnit.MILLIS,
            maxDuration = 5_000, durationUnit = ChronoUnit.MILLIS)
    public Optional<Duration> take(Rate rate) {
        try {
            return row.take(rate);
        } catch (TransactionalException e) {
            throw new TransientDatabaseException("a take from the rate budget could not commit", e);
        }
    }

    @Override
    @Retry(retryOn = TransientDatabaseException.class, maxRetries = 3, delay = 100, jitter = 50, delayUnit = ChronoUnit.MILLIS,
            maxDuration = 5_000, durationUnit = ChronoUnit.MILLIS)
    public void holdOff(Rate rate, Duration delay) {
        try {
            row.holdOff(rate, delay);
        } catch (TransactionalException e) {
            throw new TransientDatabaseException("a hold-off of the rate budget could not commit", e);
        }
    }

    @Override
    public Use use(Rate rate) {
        return row.use(rate);
    }
}
