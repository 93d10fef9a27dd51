package io.guestbridge.privacy.internal;

import io.guestbridge.platform.api.WorkHandler;
import io.guestbridge.platform.api.WorkItem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sends queued notices; a mail server that refuses or is down means a retry with the queue's backoff. */
@ApplicationScoped
public class NoticeHandler implements WorkHandler {

    private static final Pattern REQUEST = Pattern.compile("\"request\":\"([0-9a-f-]{36})\"");
    private static final Pattern NOTICE = Pattern.compile("\"notice\":\"([A-Z_]+)\"");
    private static final Pattern SYSTEM = Pattern.compile("\"system\":\"([A-Za-z0-9._-]+)\"");

    @Inject
    Notices notices;

    @Inject
    Mailer mailer;

    @Override
    public String queue() {
        return Notices.QUEUE;
    }

    @Override
    public int batchSize() {
        return 20;
    }

    @Override
    public void handle(List<WorkItem> batch, Outcomes outcomes) throws Exception {
        for (WorkItem item : batch) {
            Matcher request = REQUEST.matcher(item.payload());
            Matcher notice = NOTICE.matcher(item.payload());
            if (!request.find() || !notice.find()) {
                outcomes.dead(item, "not a privacy notice");
                continue;
            }
            Matcher system = SYSTEM.matcher(item.payload());
            Notices.Kind kind = Notices.Kind.valueOf(notice.group(1));
            Optional<Notices.Mail> mail = notices.prepare(request.group(1), kind, system.find() ? system.group(1) : null);
            if (mail.isPresent()) {
                try {
                    mailer.send(mail.get().to(), mail.get().subject(), mail.get().body());
                } catch (jakarta.mail.MessagingException e) {
                    outcomes.retry(item, "SMTP: " + e.getClass().getSimpleName());
                    continue;
                }
                notices.sent(request.group(1), kind);
            }
            outcomes.done(item);
        }
    }
}
