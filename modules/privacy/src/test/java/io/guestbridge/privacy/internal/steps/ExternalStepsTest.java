package io.guestbridge.privacy.internal.steps;

import io.guestbridge.crmsync.api.CrmErasure;
import io.guestbridge.identity.api.NormalizedEmail;
import io.guestbridge.platform.api.ErasureResult;
import io.guestbridge.privacy.internal.datamap.DataMap;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A batch's calls to other systems: the CRM calls' turns held in one go, each system's calls one after another in the
 * order given, the systems side by side; a call that throws, or turns that could not be held, are attempts to make again.
 */
class ExternalStepsTest {

    private static final Supplier<NormalizedEmail> ADA = () -> NormalizedEmail.parse("ada@example.com");
    private static final Supplier<NormalizedEmail> BOB = () -> NormalizedEmail.parse("bob@example.com");

    /** Two CRMs and an operator's task in the data map; the CRMs' calls written down, each by its turn. */
    private static final class Crms implements CrmErasure {
        final List<List<String>> turnsAsked = new ArrayList<>();
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());
        /** What every call does before it answers (a test waits here for the other system's call, to see them side by side). */
        Runnable beforeAnswer = () -> {
        };
        RuntimeException turnsFail;
        String throwsFor;

        @Override
        public List<String> connectors() {
            return List.of("hubspot", "salesforce");
        }

        private record Given(String connector, int number) implements Turn {
        }

        @Override
        public List<Turn> turns(List<String> connectors) {
            turnsAsked.add(connectors);
            if (turnsFail != null) {
                throw turnsFail;
            }
            List<Turn> turns = new ArrayList<>();
            for (int i = 0; i < connectors.size(); i++) {
                turns.add(new Given(connectors.get(i), i));
            }
            return turns;
        }

        @Override
        public ErasureResult erase(Turn turn, NormalizedEmail email) {
            calls.add(turn.connector() + " #" + ((Given) turn).number() + " " + email.value());
            beforeAnswer.run();
            if (email.value().equals(throwsFor)) {
                throw new IllegalArgumentException("no contact " + email.value());
            }
            return ErasureResult.confirmed("status 204");
        }
    }

    private static ExternalSteps steps(Crms crms) {
        ExternalSteps steps = new ExternalSteps();
        steps.crms = crms;
        steps.dataMap = new DataMap() {
            @Override
            public Optional<Entry> system(String name) {
                Kind kind = switch (name) {
                    case "hubspot", "salesforce" -> Kind.CRM;
                    case "front-desk" -> Kind.MANUAL;
                    default -> null;
                };
                return Optional.ofNullable(kind).map(k -> new Entry(name, k, List.of(), List.of(), "", List.of(), Optional.empty(), Map.of()));
            }
        };
        steps.sideBySide = new SideBySide();
        steps.sideBySide.start(call -> {
            Thread thread = new Thread(call);
            thread.setDaemon(true);
            return thread;
        });
        return steps;
    }

    @Test
    void theCrmTurnsAreHeldInOneGoAndEachSystemsCallsGoInOrderWhileTheSystemsGoSideBySide() {
        Crms crms = new Crms();
        // hubspot's first call and salesforce's call wait for each other: one system after the other, the first would wait in vain
        CyclicBarrier together = new CyclicBarrier(2);
        crms.beforeAnswer = () -> {
            if (crms.calls.size() <= 2) {
                try {
                    together.await(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException("the systems' calls did not run side by side", e);
                }
            }
        };
        List<ErasureResult> results = steps(crms).attemptAll(List.of(new ExternalSteps.Call("hubspot", ADA), new ExternalSteps.Call("front-desk", ADA),
                new ExternalSteps.Call("salesforce", ADA), new ExternalSteps.Call("hubspot", BOB), new ExternalSteps.Call("gone", BOB)));
        assertEquals(List.of(List.of("hubspot", "salesforce", "hubspot")), crms.turnsAsked, "one hold for the three CRM calls");
        assertTrue(results.get(0).confirmed() && results.get(2).confirmed() && results.get(3).confirmed(), results.toString());
        assertFalse(results.get(1).retryable(), "an operator's task does not run by itself: " + results.get(1).evidence());
        assertEquals("the system is no longer in the data map", results.get(4).evidence());
        List<String> hubspot = crms.calls.stream().filter(c -> c.startsWith("hubspot")).toList();
        assertEquals(List.of("hubspot #0 ada@example.com", "hubspot #2 bob@example.com"), hubspot, "one system's calls in order, each with its own turn");
        assertTrue(crms.calls.contains("salesforce #1 ada@example.com"));
    }

    @Test
    void aCallThatThrowsIsAFailedAttemptNamedByItsExceptionOnly_andTheOthersGoOn() {
        Crms crms = new Crms();
        crms.throwsFor = "ada@example.com";
        List<ErasureResult> results = steps(crms).attemptAll(List.of(new ExternalSteps.Call("hubspot", ADA), new ExternalSteps.Call("hubspot", BOB)));
        assertEquals(ErasureResult.retry("IllegalArgumentException"), results.get(0), "no address in the evidence");
        assertTrue(results.get(1).confirmed(), "the next call of the system still went");
    }

    @Test
    void turnsThatCouldNotBeHeldMakeEveryCrmCallAnAttemptToMakeAgain() {
        Crms crms = new Crms();
        crms.turnsFail = new IllegalStateException("the budget's table is locked");
        List<ErasureResult> results = steps(crms).attemptAll(List.of(new ExternalSteps.Call("hubspot", ADA), new ExternalSteps.Call("front-desk", ADA),
                new ExternalSteps.Call("salesforce", BOB)));
        assertEquals(ErasureResult.retry("IllegalStateException"), results.get(0));
        assertFalse(results.get(1).retryable(), "the operator's task is answered as ever");
        assertEquals(ErasureResult.retry("IllegalStateException"), results.get(2));
        assertEquals(List.of(), crms.calls, "no CRM was called without its turn");
    }
}
