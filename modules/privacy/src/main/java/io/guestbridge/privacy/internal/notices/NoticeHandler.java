package io.guestbridge.privacy.internal.notices;

import io.guestbridge.platform.api.MailSender;
import io.guestbridge.platform.api.Envelope;
import io.guestbridge.platform.api.WorkHandler;
import io.guestbridge.platform.api.WorkItem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

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

    @Override
    public void handle(List<Envelope<NoticeDue>> batch, Outcomes outcomes) throws Exception {
        for (Envelope<NoticeDue> due : batch) {
            WorkItem item = due.item();
            Notices.Kind kind = due.message().notice();
            Optional<Notices.Mail> mail = notices.prepare(due.message().request(), kind, due.message().system());
            if (mail.isPresent()) {
                try {
                    mailer.send(MailSender.OutgoingMail.text(mail.get().to(), mail.get().subject(), mail.get().body()));
                } catch (jakarta.mail.MessagingException e) {
                    outcomes.retry(item, "SMTP: " + e.getClass().getSimpleName());
                    continue;
                }
                notices.sent(due.message().request(), kind, due.message().system(), item);
            }
            outcomes.done(item); // a notice sent was completed with its record, one with nothing to send is completed now
        }
    }
}
