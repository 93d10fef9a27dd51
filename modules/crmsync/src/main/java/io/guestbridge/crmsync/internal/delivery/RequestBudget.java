package io.guestbridge.crmsync.internal.delivery;

import io.guestbridge.crmsync.api.CrmDesk;
import io.guestbridge.crmsync.internal.connectors.ConnectorSettings;
import io.guestbridge.platform.api.TransientDatabaseException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.faulttolerance.Retry;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * A connector's request budget (N requests per window, paced at one per window/N, plus a daily cap),
 * kept in the database so every running instance draws from the same one. Taking a request locks the connector's row for a moment;
 * when the budget is spent the answer is how long to wait, and the work waits instead of failing.
 *
 * <p>Every sending thread of every instance takes from the same row, so a take may meet a deadlock or a lock
 * wait timeout: it is taken again in a new transaction (the retry wraps {@link BudgetRow}'s transaction, which
 * a retry inside it could not undo).
 */
@ApplicationScoped
public class RequestBudget {

    @Inject
    BudgetRow row;

    /** Takes one request from the budget; empty when taken, else how long until one is available. */
    // maxDuration in the delay's unit: Payara compares the two numbers without their units
    @Retry(retryOn = TransientDatabaseException.class, maxRetries = 3, delay = 100, jitter = 50, delayUnit = ChronoUnit.MILLIS,
            maxDuration = 5_000, durationUnit = ChronoUnit.MILLIS)
    public Optional<Duration> take(ConnectorSettings connector) {
        return row.take(connector);
    }

    /** How much of the budget is used now, for the connector's status. */
    public CrmDesk.RequestBudget use(ConnectorSettings connector) {
        return row.use(connector, Instant.now());
    }
}
