package io.guestbridge.onboarding.internal;

import io.guestbridge.identity.api.GuestId;
import io.guestbridge.onboarding.api.CredentialKind;
import io.guestbridge.platform.api.Envelope;
import io.guestbridge.platform.api.RateBudget;
import io.guestbridge.platform.api.WorkItem;
import io.guestbridge.platform.testing.ToldOutcomes;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SMS handler against a budget and a gateway that say "later": what waits, waits together and in order. */
class CredentialTextingTest {

    private static final ValidityWindow WINDOW = new ValidityWindow(Instant.parse("2027-05-01T00:00:00Z"), Instant.parse("2027-05-03T11:00:00Z"));

    private final List<String> log = new ArrayList<>();

    @Test
    void aSpentBudgetHoldsTheRestOfTheBatchTogether() {
        Deque<Optional<Duration>> takes = new ArrayDeque<>(List.of(Optional.empty(), Optional.of(Duration.ofSeconds(40))));
        CredentialTexting handler = handler(takes, new ArrayDeque<>(List.of(new SmsGateway.Accepted())));
        handler.handle(batch(4), new ToldOutcomes(log));
        String spent = " AFTER PT40S SMS budget of 600 a minute spent";
        assertEquals(List.of("send 1", "texted 1", "1 DONE", "2" + spent, "3" + spent, "4" + spent), log);
    }

    @Test
    void aShortPacingGapIsWaitedOutInTheWorkerNotHandedBackToTheQueue() {
        Deque<Optional<Duration>> takes = new ArrayDeque<>(List.of(Optional.empty(), Optional.of(Duration.ofMillis(30)), Optional.empty()));
        CredentialTexting handler = handler(takes, new ArrayDeque<>(List.of(new SmsGateway.Accepted(), new SmsGateway.Accepted())));
        handler.handle(batch(2), new ToldOutcomes(log));
        assertEquals(List.of("send 1", "texted 1", "1 DONE", "send 2", "texted 2", "2 DONE"), log);
    }

    @Test
    void a429IsToldToEveryInstanceThroughTheBudgetAndHoldsTheRest() {
        Deque<Optional<Duration>> takes = new ArrayDeque<>(List.of(Optional.empty(), Optional.empty()));
        CredentialTexting handler = handler(takes, new ArrayDeque<>(List.of(new SmsGateway.Accepted(), new SmsGateway.Later(Duration.ofSeconds(3)))));
        handler.handle(batch(3), new ToldOutcomes(log));
        String later = " AFTER PT3S SMS gateway: 429, Retry-After 3 s";
        assertEquals(List.of("send 1", "texted 1", "1 DONE", "send 2", "holdOff PT3S", "2" + later, "3" + later), log);
    }

    @Test
    void aRefusedMessageIsADeadLetterAndAFailedOneARetryThatTheRestWaitsBehind() {
        Deque<Optional<Duration>> takes = new ArrayDeque<>(List.of(Optional.empty(), Optional.empty()));
        CredentialTexting handler = handler(takes, new ArrayDeque<>(List.of(new SmsGateway.Refused("SMS gateway: HTTP 400"),
                new SmsGateway.Failed("SMS gateway: HTTP 503"))));
        handler.handle(batch(4), new ToldOutcomes(log));
        String behind = " AFTER PT0S waiting behind a text the SMS gateway did not take";
        assertEquals(List.of("send 1", "1 DEAD SMS gateway: HTTP 400", "send 2", "2 RETRY SMS gateway: HTTP 503", "3" + behind, "4" + behind), log);
        assertTrue(handler.ordered(), "the queue is claimed in order, so the released rest cannot overtake the retried text");
    }

    private CredentialTexting handler(Deque<Optional<Duration>> takes, Deque<SmsGateway.Answer> answers) {
        CredentialTexting handler = new CredentialTexting();
        handler.deliveries = new Deliveries() {
            @Override
            public Next prepareText(CredentialDue due) {
                return new Mail(new CredentialMail.Content("+447911100000", "Grand Hotel", "Guests", CredentialKind.PPSK, "wifi-abcdefghjk",
                        "abcd2345efgh67", WINDOW, ZoneId.of("Europe/London"), Locale.ENGLISH), WINDOW);
            }

            @Override
            public void texted(WorkItem item, CredentialDue due, ValidityWindow told) {
                log.add("texted " + item.id());
            }
        };
        handler.gateway = new SmsGateway() {
            @Override
            boolean enabled() {
                return true;
            }

            @Override
            RateBudget.Rate rate() {
                return new RateBudget.Rate("test-sms", 600, Duration.ofMinutes(1));
            }

            @Override
            Answer send(String to, String text, String reference) {
                log.add("send " + (log.stream().filter(l -> l.startsWith("send")).count() + 1));
                return answers.removeFirst();
            }
        };
        handler.budget = new RateBudget() {
            @Override
            public Optional<Duration> take(Rate rate, Duration ahead) {
                return takes.removeFirst();
            }

            @Override
            public List<Held> holdAll(List<Rate> rates, Duration ahead) {
                throw new AssertionError("a text takes its moment when it goes");
            }

            @Override
            public Optional<Duration> send(Held held) {
                throw new AssertionError("a text takes its moment when it goes");
            }

            @Override
            public void holdOff(Rate rate, Duration delay) {
                log.add("holdOff " + delay);
            }

            @Override
            public Use use(Rate rate) {
                throw new AssertionError("sending never reads the budget's use");
            }
        };
        return handler;
    }

    private static List<Envelope<CredentialDue>> batch(int size) {
        List<Envelope<CredentialDue>> batch = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            batch.add(new Envelope<>(new WorkItem(i, "wifi-delivery-sms", null, "{}", 1, 0, "test", Instant.now(), null),
                    new CredentialDue(UUID.randomUUID().toString(), GuestId.random().value())));
        }
        return batch;
    }
}
