package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.RateBudget;
import io.guestbridge.platform.api.TransientDatabaseException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.faulttolerance.Retry;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * {@link RateBudget} on a row per channel in {@code plt_rate_budget}. Every sending thread of every instance takes
 * from the same row, so a take may meet a deadlock or a lock wait timeout: it is taken again in a new transaction
 * (the retry wraps {@link RateBudgetRow}'s transaction, which a retry inside it could not undo).
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
        return row.take(rate);
    }

    @Override
    @Retry(retryOn = TransientDatabaseException.class, maxRetries = 3, delay = 100, jitter = 50, delayUnit = ChronoUnit.MILLIS,
            maxDuration = 5_000, durationUnit = ChronoUnit.MILLIS)
    public void holdOff(Rate rate, Duration delay) {
        row.holdOff(rate, delay);
    }

    @Override
    public Use use(Rate rate) {
        return row.use(rate);
    }
}
