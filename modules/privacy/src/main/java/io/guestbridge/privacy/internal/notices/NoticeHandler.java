package io.guestbridge.privacy.internal.notices;

import io.guestbridge.platform.api.MailSender;
import io.guestbridge.platform.api.Envelope;
import io.guestbridge.platform.api.WorkHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.mail.MessagingException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Sends queued notices; a mail server that refuses or is down means a retry with the queue's backoff. */
@ApplicationScoped
public class NoticeHandler implements WorkHandler<NoticeDue> {

    @Inject
    Notices notices;

    @Inject
    MailSender mailer;

    @Override
    public Class<NoticeDue> type() {
        return NoticeDue.class;
    }

    @Override
    public String queue() {
        return "privacy-notices";
    }

    @Override
    public int batchSize() {
        return 20;
    }

    /**
     * A batch in three moves: its notices prepared in one transaction, their mails sent over one connection to the relay,
     * the sent ones recorded in one transaction (which completes their items). One transaction and one connection per
     * mail cost a burst of erasures, each telling its subject twice, more than the rest of their local steps. A mail the
     * relay refused is retried alone; one sent whose record was lost (a stop between the two) goes out again, as a single
     * mail could before.
     */
    @Override
    public void handle(List<Envelope<NoticeDue>> batch, Outcomes outcomes) {
        List<Optional<Notices.Mail>> mails = notices.prepareAll(batch.stream()
                .map(due -> new Notices.Due(due.message().request(), due.message().notice(), due.message().system())).toList());
        List<Envelope<NoticeDue>> toSend = new ArrayList<>();
        List<MailSender.OutgoingMail> outgoing = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Optional<Notices.Mail> mail = mails.get(i);
            if (mail.isPresent()) {
                toSend.add(batch.get(i));
                outgoing.add(MailSender.OutgoingMail.text(mail.get().to(), mail.get().subject(), mail.get().body()));
            } else {
                outcomes.done(batch.get(i).item()); // nothing to send
            }
        }
        if (outgoing.isEmpty()) {
            return;
        }
        List<Optional<MessagingException>> results = mailer.sendAll(outgoing);
        List<Notices.Sent> sent = new ArrayList<>();
        for (int i = 0; i < toSend.size(); i++) {
            Envelope<NoticeDue> due = toSend.get(i);
            if (results.get(i).isPresent()) {
                outcomes.retry(due.item(), "SMTP: " + results.get(i).get().getClass().getSimpleName());
            } else {
                sent.add(new Notices.Sent(due.message().request(), due.message().notice(), due.message().system(), due.item()));
            }
        }
        if (!sent.isEmpty()) {
            notices.sentAll(sent);
            sent.forEach(s -> outcomes.done(s.item())); // completed with their records
        }
    }
}
