package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.RateBudget.Rate;
import io.guestbridge.platform.api.TransientDatabaseException;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionalException;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A take or hold-off whose own transaction could not commit (on a Galera cluster: two nodes committed the budget's
 * row at once and one was refused) is handed to the retry as transient, not to the sending handler as its failure;
 * a failure of the work itself is not.
 */
class DatabaseRateBudgetTest {

    private static final Rate RATE = new Rate("crm:test", 5, Duration.ofSeconds(1));

    private static TransactionalException commitFailed() {
        return new TransactionalException("Managed bean with Transactional annotation and TxType of REQUIRES_NEW encountered exception "
                + "during commit", new SystemException("Deadlock found when trying to get lock; try restarting transaction"));
    }

    private static DatabaseRateBudget over(RateBudgetRow row) {
        DatabaseRateBudget budget = new DatabaseRateBudget();
        budget.row = row;
        return budget;
    }

    @Test
    void aTakeWhoseCommitFailedIsRetriedAsTransient() throws Exception {
        TransactionalException failed = commitFailed();
        DatabaseRateBudget budget = over(new RateBudgetRow() {
            @Override
            Optional<Duration> take(Rate rate) {
                throw failed;
            }

            @Override
            void holdOff(Rate rate, Duration delay) {
                throw failed;
            }
        });
        TransientDatabaseException take = assertThrows(TransientDatabaseException.class, () -> budget.take(RATE));
        assertSame(failed, take.getCause());
        TransientDatabaseException holdOff = assertThrows(TransientDatabaseException.class, () -> budget.holdOff(RATE, Duration.ofSeconds(2)));
        assertSame(failed, holdOff.getCause());
        for (String method : new String[]{"take", "holdOff"}) {
            Retry retry = Arrays.stream(DatabaseRateBudget.class.getMethods()).filter(m -> m.getName().equals(method)).findFirst()
                    .orElseThrow().getAnnotation(Retry.class);
            assertTrue(Arrays.asList(retry.retryOn()).contains(TransientDatabaseException.class), method + " is retried on it");
        }
    }

    @Test
    void aFailureOfTheWorkItselfIsNotMadeTransient() {
        IllegalStateException broken = new IllegalStateException("rate budget: table plt_rate_budget does not exist");
        DatabaseRateBudget budget = over(new RateBudgetRow() {
            @Override
            Optional<Duration> take(Rate rate) {
                throw broken;
            }
        });
        assertSame(broken, assertThrows(IllegalStateException.class, () -> budget.take(RATE)));
        assertEquals(Optional.of(Duration.ofMillis(200)), over(new RateBudgetRow() {
            @Override
            Optional<Duration> take(Rate rate) {
                return Optional.of(Duration.ofMillis(200));
            }
        }).take(RATE));
    }
}
