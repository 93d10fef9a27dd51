package io.guestbridge.platform.api;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateBudgetTest {

    private static final RateBudget.Rate RATE = new RateBudget.Rate("test", 10, Duration.ofSeconds(1));

    /** Answers the given waits in order (empty: taken), then "taken" for ever; counts the takes. */
    private static class Scripted implements RateBudget {
        final Deque<Optional<Duration>> answers;
        int takes;

        Scripted(List<Optional<Duration>> answers) {
            this.answers = new ArrayDeque<>(answers);
        }

        @Override
        public Optional<Duration> take(Rate rate, Duration ahead) {
            takes++;
            return answers.isEmpty() ? Optional.empty() : answers.poll();
        }

        /** Each rate's moment from the same script: a wait, or taken now. */
        @Override
        public List<Held> holdAll(List<Rate> rates, Duration ahead) {
            return rates.stream().map(rate -> take(rate, ahead).map(wait -> new Held(rate, null, wait))
                    .orElseGet(() -> new Held(rate, java.time.Instant.now(), null))).toList();
        }

        @Override
        public Optional<Duration> send(Held held) {
            return Optional.ofNullable(held.delay());
        }

        @Override
        public void holdOff(Rate rate, Duration delay) {
        }

        @Override
        public Use use(Rate rate) {
            return new Use(0, null, 0, null, null);
        }
    }

    @Test
    void aPacingGapIsWaitedOutAndTheRequestTaken() {
        Scripted budget = new Scripted(List.of(Optional.of(Duration.ofMillis(5)), Optional.of(Duration.ofMillis(5))));
        assertEquals(Optional.empty(), budget.takeWaitingBriefly(RATE));
        assertEquals(3, budget.takes);
    }

    @Test
    void aHeldMomentThatCameWithAPacingGapIsWaitedOutAndTakenAgain() {
        Scripted budget = new Scripted(List.of(Optional.empty(), Optional.of(Duration.ofMillis(5)), Optional.of(Duration.ofMillis(5))));
        List<RateBudget.Held> held = budget.holdAll(List.of(RATE, RATE), RateBudget.BRIEF_WAIT);
        assertEquals(Optional.empty(), budget.sendWaitingBriefly(held.get(0)), "held: sent");
        assertEquals(2, budget.takes);
        assertEquals(Optional.empty(), budget.sendWaitingBriefly(held.get(1)), "a gap of 5 ms, waited out; taken again: another gap, waited out; taken");
        assertEquals(4, budget.takes, "two takes more for the second moment, which then went");
        Scripted longWait = new Scripted(List.of(Optional.of(Duration.ofSeconds(30))));
        assertEquals(Optional.of(Duration.ofSeconds(30)), longWait.sendWaitingBriefly(longWait.holdAll(List.of(RATE), RateBudget.BRIEF_WAIT).get(0)),
                "a longer wait goes back to the caller's queue");
        assertEquals(1, longWait.takes);
    }

    @Test
    void aHeldMomentIsEitherAMomentOrAWait() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new RateBudget.Held(RATE, null, null));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new RateBudget.Held(RATE, java.time.Instant.now(), Duration.ofSeconds(1)));
    }

    @Test
    void aLongerWaitIsAnsweredAtOnceForTheQueue() {
        Scripted budget = new Scripted(List.of(Optional.of(Duration.ofSeconds(30))));
        assertEquals(Optional.of(Duration.ofSeconds(30)), budget.takeWaitingBriefly(RATE));
        assertEquals(1, budget.takes, "a wait past the brief one holds no thread");
    }

    @Test
    void aBudgetThatNeverFreesUpEndsTheWaitingAfterFiftyTries() {
        RateBudget never = new Scripted(List.of()) {
            @Override
            public Optional<Duration> take(Rate rate, Duration ahead) {
                takes++;
                return Optional.of(Duration.ofMillis(1));
            }
        };
        assertEquals(Optional.of(Duration.ofMillis(1)), never.takeWaitingBriefly(RATE));
        assertEquals(51, ((Scripted) never).takes);
    }

    @Test
    void anInterruptEndsTheWaitingAndIsKept() {
        Scripted budget = new Scripted(List.of(Optional.of(Duration.ofMillis(500))));
        Thread.currentThread().interrupt();
        try {
            assertEquals(Optional.of(Duration.ofMillis(500)), budget.takeWaitingBriefly(RATE));
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
        assertEquals(1, budget.takes);
    }
}
