package io.guestbridge.onboarding.internal;

import io.guestbridge.identity.api.GuestId;
import io.guestbridge.onboarding.api.CredentialKind;
import io.guestbridge.platform.api.Envelope;
import io.guestbridge.platform.api.MailSender;
import io.guestbridge.platform.api.WorkItem;
import io.guestbridge.platform.testing.ToldOutcomes;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the mail handler reports to the queue: a refusing relay is a retry (then a dead letter), never a lost or a doubly recorded delivery. */
class CredentialMailingTest {

    private static final ValidityWindow WINDOW = new ValidityWindow(Instant.parse("2027-05-01T00:00:00Z"), Instant.parse("2027-05-03T11:00:00Z"));

    private final List<String> recorded = new ArrayList<>();
    private final ToldOutcomes told = new ToldOutcomes();

    @Test
    void aRefusingRelayMeansARetryAndNothingRecorded() {
        CredentialMailing handler = handler(new Deliveries.Mail(content(), WINDOW), false);
        handler.handle(List.of(envelope()), told);
        assertEquals(List.of("1 RETRY SMTP: the relay refused the mail"), told.log);
        assertEquals(List.of(), recorded, "not delivered, not completed: the queue tries again after its backoff");
    }

    @Test
    void aSentMailIsRecordedWithTheWindowItTold() {
        CredentialMailing handler = handler(new Deliveries.Mail(content(), WINDOW), true);
        handler.handle(List.of(envelope()), told);
        assertEquals(List.of("delivered email " + WINDOW), recorded);
        assertEquals(List.of("1 DONE"), told.log);
    }

    @Test
    void anObjectionWithholdsTheMailAndSaysWhy() {
        CredentialMailing handler = handler(new Deliveries.Withhold("the guest objects to service mail"), true);
        handler.handle(List.of(envelope()), told);
        assertEquals(List.of("withheld the guest objects to service mail"), recorded);
        assertEquals(List.of("1 DONE"), told.log);
    }

    private CredentialMailing handler(Deliveries.Next next, boolean relayAccepts) {
        CredentialMailing handler = new CredentialMailing();
        handler.deliveries = new Deliveries() {
            @Override
            public Next prepare(CredentialDue due) {
                return next;
            }

            @Override
            public void delivered(WorkItem item, CredentialDue due, ValidityWindow told, String channel) {
                recorded.add("delivered " + channel + " " + told);
            }

            @Override
            public void withheld(WorkItem item, CredentialDue due, String channel, String reason) {
                recorded.add("withheld " + reason);
            }

            @Override
            public void skipped(WorkItem item) {
                recorded.add("skipped");
            }
        };
        handler.mail = new MailSender() {
            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public void send(OutgoingMail mail) throws jakarta.mail.MessagingException {
                if (!relayAccepts) {
                    throw new jakarta.mail.MessagingException("451 try again later");
                }
            }

            @Override
            public java.util.List<java.util.Optional<jakarta.mail.MessagingException>> sendAll(java.util.List<OutgoingMail> mails) {
                return mails.stream().map(m -> relayAccepts ? java.util.Optional.<jakarta.mail.MessagingException>empty()
                        : java.util.Optional.of(new jakarta.mail.MessagingException("451 try again later"))).toList();
            }
        };
        return handler;
    }

    private static CredentialMail.Content content() {
        return new CredentialMail.Content("guest@example.com", "Grand Hotel", "Guests", CredentialKind.PPSK, "wifi-abcdefghjk", "abcd2345efgh67",
                WINDOW, ZoneId.of("Europe/London"), Locale.ENGLISH);
    }

    private static Envelope<CredentialDue> envelope() {
        WorkItem item = new WorkItem(1, "wifi-delivery-mail", null, "{}", 1, 0, "test", Instant.now(), null);
        return new Envelope<>(item, new CredentialDue(UUID.randomUUID().toString(), GuestId.random().value()));
    }
}
