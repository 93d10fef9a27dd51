package io.guestbridge.onboarding.internal;

import io.guestbridge.platform.api.Envelope;
import io.guestbridge.platform.api.MailSender;
import io.guestbridge.platform.api.WorkHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;

/**
 * Mails due credentials to their guests. The mail goes out between two transactions (no row stays locked while an
 * SMTP relay answers); a relay that refuses or is down means a retry with the queue's backoff, and after the last
 * attempt a dead letter an operator replays ({@code /api/v1/queues/wifi-delivery-mail/dead}). A crash between the
 * send and its record sends the mail again: at least once, as mail is.
 */
@ApplicationScoped
public class CredentialMailing implements WorkHandler<CredentialDue> {

    @Inject
    Deliveries deliveries;

    @Inject
    MailSender mail;

    @Override
    public Class<CredentialDue> type() {
        return CredentialDue.class;
    }

    @Override
    public String queue() {
        return "wifi-delivery-mail";
    }

    @Override
    public int batchSize() {
        return 10;
    }

    /** What operators read in the dead letter: never the exception's message, which may quote an address. */
    static String reason(jakarta.mail.MessagingException e) {
        return e.getCause() instanceof java.io.IOException ? "SMTP: the relay is unreachable" : "SMTP: the relay refused the mail";
    }

    @Override
    public void handle(List<Envelope<CredentialDue>> batch, Outcomes outcomes) {
        for (Envelope<CredentialDue> due : batch) {
            if (!mail.enabled()) {
                deliveries.skipped(due.item()); // no relay configured: the SMS gateway carries the credential
                outcomes.done(due.item());
                continue;
            }
            Deliveries.Next next = deliveries.prepare(due.message());
            if (next instanceof Deliveries.Withhold withhold) {
                deliveries.withheld(due.item(), due.message(), "email", withhold.reason());
            } else if (next instanceof Deliveries.Mail mailing) {
                try {
                    mail.send(CredentialMail.compose(mailing.content()));
                } catch (jakarta.mail.MessagingException e) {
                    outcomes.retry(due.item(), reason(e));
                    continue;
                }
                deliveries.delivered(due.item(), due.message(), mailing.told(), "email");
            } else {
                deliveries.skipped(due.item());
            }
            outcomes.done(due.item());
        }
    }
}
