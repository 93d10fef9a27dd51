package io.guestbridge.privacy.internal.portal;

import io.guestbridge.platform.api.MailSender;
import io.guestbridge.platform.api.Envelope;
import io.guestbridge.platform.api.WorkHandler;
import io.guestbridge.privacy.internal.notices.Notices;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Optional;

/** Mails the codes of subjects' proofs; a mail server that refuses or is down means a retry with the queue's backoff. */
@ApplicationScoped
public class ChallengeHandler implements WorkHandler<ChallengeDue> {

    @Inject
    SubjectChallenges challenges;

    @Inject
    MailSender mailer;

    @Override
    public Class<ChallengeDue> type() {
        return ChallengeDue.class;
    }

    @Override
    public String queue() {
        return "privacy-codes";
    }

    @Override
    public int batchSize() {
        return 20;
    }

    @Override
    public void handle(List<Envelope<ChallengeDue>> batch, Outcomes outcomes) throws Exception {
        for (Envelope<ChallengeDue> due : batch) {
            String id = due.message().challenge();
            Optional<Notices.Mail> mail = challenges.mail(id);
            if (mail.isPresent()) {
                try {
                    mailer.send(MailSender.OutgoingMail.text(mail.get().to(), mail.get().subject(), mail.get().body()));
                } catch (jakarta.mail.MessagingException e) {
                    outcomes.retry(due.item(), "SMTP: " + e.getClass().getSimpleName());
                    continue;
                }
                challenges.sent(id);
            }
            outcomes.done(due.item());
        }
    }
}
