package io.guestbridge.privacy.internal.notices;

import io.guestbridge.platform.api.Envelope;
import io.guestbridge.platform.api.MailSender;
import io.guestbridge.platform.api.WorkItem;
import io.guestbridge.platform.testing.ToldOutcomes;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A batch of notices is prepared once, sent in one go and recorded once: a mail the relay refused is retried alone,
 * a notice with nothing to send is done, and only the mails that went out are recorded as sent.
 */
class NoticeHandlerTest {

    private final List<String> calls = new ArrayList<>();
    private final ToldOutcomes told = new ToldOutcomes();

    @Test
    void oneRefusedMailIsRetriedAloneAndTheSentOnesAreRecordedTogether() throws Exception {
        List<Envelope<NoticeDue>> batch = List.of(due(1, Notices.Kind.RECEIPT), due(2, Notices.Kind.OUTCOME), due(3, Notices.Kind.OUTCOME),
                due(4, Notices.Kind.RECEIPT));
        NoticeHandler handler = handler(List.of(Optional.of(mail("a")), Optional.empty(), Optional.of(mail("c")), Optional.of(mail("d"))),
                List.of(Optional.empty(), Optional.of(new SendFailedException("550 mailbox unavailable")), Optional.empty()));

        handler.handle(batch, told);

        assertEquals(List.of("prepare 4 notices", "send to a, c, d", "record sent 1 RECEIPT, 4 RECEIPT"), calls);
        assertEquals(List.of("2 DONE", "3 RETRY SMTP: SendFailedException", "1 DONE", "4 DONE"), told.log);
    }

    @Test
    void aBatchWithNothingToSendNeitherMailsNorRecords() throws Exception {
        NoticeHandler handler = handler(List.of(Optional.empty()), List.of());

        handler.handle(List.of(due(7, Notices.Kind.OUTCOME)), told);

        assertEquals(List.of("prepare 1 notices"), calls);
        assertEquals(List.of("7 DONE"), told.log);
    }

    private NoticeHandler handler(List<Optional<Notices.Mail>> prepared, List<Optional<MessagingException>> sendResults) {
        NoticeHandler handler = new NoticeHandler();
        handler.notices = new Notices() {
            @Override
            public List<Optional<Mail>> prepareAll(List<Due> due) {
                calls.add("prepare " + due.size() + " notices");
                return prepared;
            }

            @Override
            public void sentAll(List<Sent> sent) {
                calls.add("record sent " + String.join(", ", sent.stream().map(s -> s.item().id() + " " + s.kind()).toList()));
            }
        };
        handler.mailer = new MailSender() {
            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public void send(OutgoingMail mail) {
                throw new AssertionError("a batch is sent with sendAll");
            }

            @Override
            public List<Optional<MessagingException>> sendAll(List<OutgoingMail> mails) {
                calls.add("send to " + String.join(", ", mails.stream().map(OutgoingMail::to).toList()));
                return sendResults;
            }
        };
        return handler;
    }

    private static Notices.Mail mail(String to) {
        return new Notices.Mail(to, "subject", "body");
    }

    private static Envelope<NoticeDue> due(long id, Notices.Kind kind) {
        WorkItem item = new WorkItem(id, "privacy-notices", null, "{}", 1, 0, "test", Instant.now(), null);
        return new Envelope<>(item, new NoticeDue(UUID.randomUUID().toString(), kind, null));
    }
}
