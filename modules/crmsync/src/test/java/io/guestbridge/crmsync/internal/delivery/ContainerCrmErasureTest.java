package io.guestbridge.crmsync.internal.delivery;

import io.guestbridge.crmsync.api.CrmErasure;
import io.guestbridge.crmsync.internal.connectors.ConnectorSettings;
import io.guestbridge.crmsync.internal.connectors.Connectors;
import io.guestbridge.crmsync.internal.connectors.CrmAnswer;
import io.guestbridge.identity.api.NormalizedEmail;
import io.guestbridge.platform.api.ErasureResult;
import io.guestbridge.platform.api.RateBudget;
import io.guestbridge.platform.testing.MapConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The turns of several erasure calls are held at the request budget in one go, and each call then goes with its own:
 * a connector that is not enabled, or whose client is not ready, takes no moment; a moment the budget could not give
 * hands the step back to its queue with the wait, as no failed attempt.
 */
class ContainerCrmErasureTest {

    private static final Map<String, String> CONFIG = new HashMap<>(Map.of("crm.connectors", "mc,mc2,off",
            "crm.mc.type", "mailchimp", "crm.mc.base-url", "https://us1.api.mailchimp.com", "crm.mc.api-key", "key-us1", "crm.mc.list-id", "guests",
            "crm.mc2.type", "mailchimp", "crm.mc2.base-url", "https://us2.api.mailchimp.com", "crm.mc2.api-key", "key-us2", "crm.mc2.list-id", "guests",
            "crm.off.type", "mailchimp"));

    /** Every hold asked of the budget, by channel; moments given at once except for the channels in {@code spent}. */
    private static final class Budget implements RateBudget {
        final List<List<String>> holds = new ArrayList<>();
        final List<String> sent = new ArrayList<>();
        final Set<String> spent;

        Budget(Set<String> spent) {
            this.spent = spent;
        }

        @Override
        public Optional<Duration> take(Rate rate, Duration ahead) {
            throw new AssertionError("every moment is held, none taken alone");
        }

        @Override
        public List<Held> holdAll(List<Rate> rates, Duration ahead) {
            holds.add(rates.stream().map(Rate::channel).toList());
            return rates.stream().map(r -> spent.contains(r.channel()) ? new Held(r, null, Duration.ofSeconds(40)) : new Held(r, Instant.now(), null)).toList();
        }

        @Override
        public Optional<Duration> send(Held held) {
            sent.add(held.rate().channel());
            return Optional.ofNullable(held.delay());
        }

        @Override
        public void holdOff(Rate rate, Duration delay) {
        }

        @Override
        public Use use(Rate rate) {
            throw new AssertionError();
        }
    }

    private static ContainerCrmErasure erasure(Budget budget, Set<String> notReady, List<String> erased) {
        ContainerCrmErasure erasure = new ContainerCrmErasure();
        erasure.connectors = Connectors.of(new MapConfig(CONFIG));
        erasure.budget = budget;
        erasure.delivery = new CrmDelivery() {
            @Override
            Optional<CrmAnswer> prepare(ConnectorSettings connector) {
                return notReady.contains(connector.name()) ? Optional.of(CrmAnswer.transientFailure(401, "no access token")) : Optional.empty();
            }

            @Override
            CrmAnswer erase(ConnectorSettings connector, String email) {
                erased.add(connector.name() + " " + email);
                return new CrmAnswer(200, null, Map.of(email, "deleted"), Set.of(), Map.of(), false, null);
            }
        };
        return erasure;
    }

    @Test
    void theTurnsOfSeveralCallsAreHeldInOneGoAndEachCallGoesWithItsOwn() {
        Budget budget = new Budget(Set.of());
        List<String> erased = new ArrayList<>();
        ContainerCrmErasure erasure = erasure(budget, Set.of(), erased);
        List<CrmErasure.Turn> turns = erasure.turns(List.of("mc", "mc2", "mc", "off", "nowhere"));
        assertEquals(List.of(List.of("crm:mc", "crm:mc2", "crm:mc")), budget.holds, "one hold for the three calls that can go");
        assertEquals(List.of("mc", "mc2", "mc", "off", "nowhere"), turns.stream().map(CrmErasure.Turn::connector).toList());
        assertTrue(erasure.erase(turns.get(0), new NormalizedEmail("ada@example.com")).confirmed());
        assertTrue(erasure.erase(turns.get(2), new NormalizedEmail("bob@example.com")).confirmed());
        ErasureResult disabled = erasure.erase(turns.get(3), new NormalizedEmail("ada@example.com"));
        assertFalse(disabled.confirmed() || disabled.retryable(), "a connector missing its settings refuses for good: " + disabled.evidence());
        assertEquals("no enabled connector nowhere", erasure.erase(turns.get(4), new NormalizedEmail("ada@example.com")).evidence());
        assertEquals(List.of("mc ada@example.com", "mc bob@example.com"), erased);
        assertEquals(List.of("crm:mc", "crm:mc"), budget.sent, "each call sent its own moment");
    }

    @Test
    void aClientThatIsNotReadyTakesNoMomentAndASpentBudgetIsAWaitNotAFailedAttempt() {
        Budget budget = new Budget(Set.of("crm:mc2"));
        List<String> erased = new ArrayList<>();
        ContainerCrmErasure erasure = erasure(budget, Set.of("mc"), erased);
        List<CrmErasure.Turn> turns = erasure.turns(List.of("mc", "mc2"));
        assertEquals(List.of(List.of("crm:mc2")), budget.holds, "the connector whose client is not ready holds no moment");
        ErasureResult notReady = erasure.erase(turns.get(0), new NormalizedEmail("ada@example.com"));
        assertTrue(notReady.retryable() && notReady.attempted(), notReady.evidence());
        ErasureResult spent = erasure.erase(turns.get(1), new NormalizedEmail("ada@example.com"));
        assertTrue(spent.retryable() && !spent.attempted(), "a wait, not an attempt: " + spent.evidence());
        assertEquals(Duration.ofSeconds(40), spent.waitFor());
        assertEquals(List.of(), erased, "nothing was sent");
    }

    @Test
    void aCallOnItsOwnHoldsItsTurnAlone() {
        Budget budget = new Budget(Set.of());
        List<String> erased = new ArrayList<>();
        assertTrue(erasure(budget, Set.of(), erased).erase("mc2", new NormalizedEmail("ada@example.com")).confirmed());
        assertEquals(List.of(List.of("crm:mc2")), budget.holds);
        assertEquals(List.of("mc2 ada@example.com"), erased);
    }
}
