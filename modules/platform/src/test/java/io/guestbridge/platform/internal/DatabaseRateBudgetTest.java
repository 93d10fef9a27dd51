package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.RateBudget;
import io.guestbridge.platform.api.RateBudget.Rate;
import io.guestbridge.platform.api.TransientDatabaseException;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionalException;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A take or hold-off whose own transaction could not commit (on a Galera cluster: two nodes committed the budget's
 * row at once and one was refused) is handed to the retry as transient, not to the sending handler as its failure;
 * a failure of the work itself is not. A take that came back too late after its moment is not sent.
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
            java.util.List<Answer> takeAll(java.util.List<Rate> rates, Duration ahead) {
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
        for (Method method : new Method[]{DatabaseRateBudget.class.getMethod("take", Rate.class, Duration.class),
                DatabaseRateBudget.class.getMethod("holdOff", Rate.class, Duration.class)}) {
            Retry retry = method.getAnnotation(Retry.class);
            assertTrue(Arrays.asList(retry.retryOn()).contains(TransientDatabaseException.class), method.getName() + " is retried on it");
        }
    }

    /** A row whose takes all go, each at the given moment. */
    private static RateBudgetRow takenAt(Instant at) {
        return new RateBudgetRow() {
            @Override
            java.util.List<Answer> takeAll(java.util.List<Rate> rates, Duration ahead) {
                return java.util.List.of(Answer.taken(at));
            }
        };
    }

    @Test
    void aTakeThatCameBackLaterThanHalfTheLeewayIsNotSentButWaitsForTheNext() {
        // 5 a second with 250 ms of leeway: one take per 250 ms, sent within 125 ms of it
        Rate rate = new Rate("crm:test", 5, Duration.ofSeconds(1), RateBudget.UNLIMITED_PER_DAY, Duration.ofMillis(250));
        assertEquals(Duration.ofMillis(250), rate.spacing());
        assertEquals(Duration.ofMillis(125), rate.sendWithin());
        Instant t0 = Instant.parse("2030-01-01T00:00:00Z");
        DatabaseRateBudget budget = over(takenAt(t0));
        budget.clock = () -> t0.plusMillis(125);
        assertEquals(Optional.empty(), budget.take(rate), "back within half the leeway: sent");
        budget.clock = () -> t0.plusMillis(126);
        assertEquals(Optional.of(Duration.ofMillis(124)), budget.take(rate), "later: not sent, the next take a spacing after this one");
        budget.clock = () -> t0.plusMillis(900);
        assertEquals(Optional.of(Duration.ofMillis(1)), budget.take(rate), "the next one is due already: taken again at once");
        DatabaseRateBudget withoutLeeway = over(takenAt(t0));
        withoutLeeway.clock = () -> t0.plusSeconds(5);
        assertEquals(Optional.empty(), withoutLeeway.take(RATE), "a rate without leeway never discards a take");
    }

    @Test
    void takesThatAreAlwaysLateAreSentAfterThreeInARowSoThatTheChannelStillSends() {
        Rate rate = new Rate("crm:slow", 5, Duration.ofSeconds(1), RateBudget.UNLIMITED_PER_DAY, Duration.ofMillis(250));
        Instant t0 = Instant.parse("2030-01-01T00:00:00Z");
        DatabaseRateBudget budget = over(takenAt(t0));
        budget.clock = () -> t0.plusMillis(200);
        for (int i = 0; i < DatabaseRateBudget.LATE_TAKES_NOT_SENT; i++) {
            assertTrue(budget.take(rate).isPresent(), "late take " + (i + 1) + " not sent");
        }
        assertEquals(Optional.empty(), budget.take(rate), "the fourth in a row goes: the commits are this slow");
        assertTrue(budget.take(rate).isPresent(), "and the count starts again");
        budget.clock = () -> t0.plusMillis(100);
        assertEquals(Optional.empty(), budget.take(rate), "a timely take goes");
        budget.clock = () -> t0.plusMillis(200);
        assertTrue(budget.take(rate).isPresent(), "and a timely one resets the count");
    }

    /**
     * Moments held together go to the row in one take, a channel held off in this instance left out (its wait answered
     * without a round trip); each is sent later in its own request's thread, where the checks of a take apply to it.
     */
    @Test
    void momentsHeldTogetherAreTakenInOneGoAndEachSentAsATakeWouldBe() {
        Rate rate = new Rate("crm:test", 5, Duration.ofSeconds(1), RateBudget.UNLIMITED_PER_DAY, Duration.ofMillis(250));
        Rate heldOff = new Rate("crm:refused", 5, Duration.ofSeconds(1), RateBudget.UNLIMITED_PER_DAY, Duration.ofMillis(250));
        Instant t0 = Instant.parse("2030-01-01T00:00:00Z");
        java.util.List<java.util.List<String>> calls = new java.util.ArrayList<>();
        DatabaseRateBudget budget = over(new RateBudgetRow() {
            @Override
            java.util.List<Answer> takeAll(java.util.List<Rate> rates, Duration ahead) {
                calls.add(rates.stream().map(Rate::channel).toList());
                return java.util.List.of(Answer.taken(t0), Answer.taken(t0.plusMillis(250)));
            }

            @Override
            void holdOff(Rate rate, Duration delay) {
            }
        });
        budget.clock = () -> t0;
        budget.holdOff(heldOff, Duration.ofSeconds(3));
        java.util.List<RateBudget.Held> held = budget.holdAll(java.util.List.of(rate, heldOff, rate), RateBudget.BRIEF_WAIT);
        assertEquals(java.util.List.of(java.util.List.of("crm:test", "crm:test")), calls, "one take of the two moments; the held-off channel not asked");
        assertEquals(java.util.List.of(t0, t0.plusMillis(250)), java.util.List.of(held.get(0).at(), held.get(2).at()));
        assertEquals(Duration.ofSeconds(3), held.get(1).delay());
        assertEquals(Optional.of(Duration.ofSeconds(3)), budget.send(held.get(1)), "not held: its wait");
        assertEquals(Optional.empty(), budget.send(held.get(0)), "sent at its moment");
        budget.clock = () -> t0.plusMillis(250 + 126);
        assertEquals(Optional.of(Duration.ofMillis(124)), budget.send(held.get(2)),
                "sent 126 ms after its moment, more than half the leeway: spent, not sent, the next take a spacing after it");
    }

    @Test
    void aFailureOfTheWorkItselfIsNotMadeTransient() {
        IllegalStateException broken = new IllegalStateException("rate budget: table plt_rate_budget does not exist");
        DatabaseRateBudget budget = over(new RateBudgetRow() {
            @Override
            java.util.List<Answer> takeAll(java.util.List<Rate> rates, Duration ahead) {
                throw broken;
            }
        });
        assertSame(broken, assertThrows(IllegalStateException.class, () -> budget.take(RATE)));
        assertEquals(Optional.of(Duration.ofMillis(200)), over(new RateBudgetRow() {
            @Override
            java.util.List<Answer> takeAll(java.util.List<Rate> rates, Duration ahead) {
                return java.util.List.of(Answer.waitFor(Duration.ofMillis(200)));
            }
        }).take(RATE));
    }

    @Test
    void aMomentHeldAheadIsWaitedForInTheTakersThreadAndTheRequestThenGoes() {
        Rate rate = new Rate("crm:test", 5, Duration.ofSeconds(1), RateBudget.UNLIMITED_PER_DAY, Duration.ofMillis(250));
        Instant t0 = Instant.now();
        DatabaseRateBudget budget = over(takenAt(t0.plusMillis(120)));
        budget.clock = () -> t0;
        long begun = System.nanoTime();
        assertEquals(Optional.empty(), budget.take(rate, RateBudget.BRIEF_WAIT), "taken: the request goes at its moment");
        long waited = (System.nanoTime() - begun) / 1_000_000;
        assertTrue(waited >= 119, "waited for the moment held for it (120 ms ahead), not sent before it: " + waited + " ms");
    }

    @Test
    void aTakerThatWokeLaterThanHalfTheLeewayAfterItsHeldMomentDoesNotSend() {
        Rate rate = new Rate("crm:test", 5, Duration.ofSeconds(1), RateBudget.UNLIMITED_PER_DAY, Duration.ofMillis(250));
        Instant t0 = Instant.parse("2030-01-01T00:00:00Z");
        DatabaseRateBudget budget = over(takenAt(t0.plusMillis(20)));
        // the clock as the thread sees it: before its sleep, and after it, woken 200 ms past its moment
        java.util.Iterator<Instant> seen = java.util.List.of(t0, t0.plusMillis(220)).iterator();
        budget.clock = seen::next;
        assertEquals(Optional.of(Duration.ofMillis(50)), budget.take(rate, RateBudget.BRIEF_WAIT),
                "spent, not sent: the next take a spacing after the held moment");
    }

    /**
     * A 429 read by one sender holds the channel off in this instance at once, before the row's hold-off commits: a
     * take answered by the row in that moment is not sent, and takes until the Retry-After has passed do not go to
     * the row at all.
     */
    @Test
    void aHoldOffActsInThisInstanceBeforeTheRowHoldsItOff() {
        Instant t0 = Instant.parse("2030-01-01T00:00:00Z");
        java.util.concurrent.atomic.AtomicReference<Instant> clock = new java.util.concurrent.atomic.AtomicReference<>(t0);
        java.util.concurrent.atomic.AtomicInteger rowTakes = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<DatabaseRateBudget> budget = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean refusedWhileTaking = new java.util.concurrent.atomic.AtomicBoolean(true);
        budget.set(over(new RateBudgetRow() {
            @Override
            java.util.List<Answer> takeAll(java.util.List<Rate> rates, Duration ahead) {
                Rate rate = rates.get(0);
                rowTakes.incrementAndGet();
                if (refusedWhileTaking.getAndSet(false)) {
                    budget.get().holdOff(rate, Duration.ofSeconds(2)); // another sender's request was refused meanwhile
                }
                return java.util.List.of(Answer.taken(clock.get()));
            }

            @Override
            void holdOff(Rate rate, Duration delay) {
                // the row's hold-off has not committed yet: the row still answers takes as before
            }
        }));
        budget.get().clock = clock::get;
        assertEquals(Optional.of(Duration.ofSeconds(2)), budget.get().take(RATE), "taken while the refusal came in: not sent");
        assertEquals(1, rowTakes.get());
        clock.set(t0.plusMillis(500));
        assertEquals(Optional.of(Duration.ofMillis(1_500)), budget.get().take(RATE), "held off: the rest of the Retry-After");
        assertEquals(1, rowTakes.get(), "a take while held off does not go to the row");
        budget.get().holdOff(RATE, Duration.ofMillis(100));
        assertEquals(Optional.of(Duration.ofMillis(1_500)), budget.get().take(RATE), "a shorter hold-off does not shorten a longer one");
        clock.set(t0.plusSeconds(2));
        assertEquals(Optional.empty(), budget.get().take(RATE), "once the Retry-After has passed, a take goes");
        assertEquals(2, rowTakes.get());
    }

    /** A refusal whose wait the pacing already covers asks for no hold-off: nothing is held off and the row is not written. */
    @Test
    void aHoldOffOfNoTimeHoldsNothingOffAndSparesTheRow() {
        Instant t0 = Instant.parse("2030-01-01T00:00:00Z");
        java.util.concurrent.atomic.AtomicInteger rowHoldOffs = new java.util.concurrent.atomic.AtomicInteger();
        DatabaseRateBudget budget = over(new RateBudgetRow() {
            @Override
            java.util.List<Answer> takeAll(java.util.List<Rate> rates, Duration ahead) {
                return java.util.List.of(Answer.taken(t0));
            }

            @Override
            void holdOff(Rate rate, Duration delay) {
                rowHoldOffs.incrementAndGet();
            }
        });
        budget.clock = () -> t0;
        budget.holdOff(RATE, Duration.ZERO);
        budget.holdOff(RATE, Duration.ofMillis(-5));
        assertEquals(0, rowHoldOffs.get(), "no round trip for a hold-off of no time");
        assertEquals(Optional.empty(), budget.take(RATE), "nothing held off: the take goes");
        budget.holdOff(RATE, Duration.ofMillis(1));
        assertEquals(1, rowHoldOffs.get(), "a hold-off of any time is written to the row for the other instances");
    }
}
