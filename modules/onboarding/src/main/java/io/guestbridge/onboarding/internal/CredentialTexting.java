package io.guestbridge.onboarding.internal;

import io.guestbridge.platform.api.Envelope;
import io.guestbridge.platform.api.RateBudget;
import io.guestbridge.platform.api.WorkHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Texts due credentials to guests who gave a phone number, within the SMS gateway's rate. Every message first takes
 * its turn from the channel's budget, shared by every instance, waiting out a short pacing gap in the worker; when the
 * budget is spent for longer, or the gateway answers 429
 * (its Retry-After is told to every instance through the budget), this item and the rest of the batch wait that long
 * together. The queue is {@linkplain #ordered() ordered}: what was queued after a waiting text waits behind it, so texts
 * go out in the order the delivery runs queued them, each run's by arrival (the window's start), then credential.
 * One worker per instance keeps that order.
 * A message the gateway refuses for good is a dead letter with the reason; a gateway that is down, a retry.
 */
@ApplicationScoped
public class CredentialTexting implements WorkHandler<CredentialDue> {

    @Inject
    Deliveries deliveries;

    @Inject
    SmsGateway gateway;

    @Inject
    RateBudget budget;

    @Override
    public Class<CredentialDue> type() {
        return CredentialDue.class;
    }

    @Override
    public String queue() {
        return "wifi-delivery-sms";
    }

    @Override
    public int batchSize() {
        return 20;
    }

    @Override
    public int concurrency() {
        return 1;
    }

    @Override
    public boolean ordered() {
        return true;
    }

    @Override
    public void handle(List<Envelope<CredentialDue>> batch, Outcomes outcomes) {
        RateBudget.Rate rate = gateway.rate();
        for (int i = 0; i < batch.size(); i++) {
            Envelope<CredentialDue> due = batch.get(i);
            if (!gateway.enabled()) {
                deliveries.skipped(due.item()); // no gateway configured: the mail carries the credential
                outcomes.done(due.item());
                continue;
            }
            Deliveries.Next next = deliveries.prepareText(due.message());
            if (next instanceof Deliveries.Withhold withhold) {
                deliveries.withheld(due.item(), due.message(), SmsGateway.CHANNEL, withhold.reason());
                outcomes.done(due.item());
                continue;
            }
            if (!(next instanceof Deliveries.Mail text)) {
                deliveries.skipped(due.item());
                outcomes.done(due.item());
                continue;
            }
            // the pacing gap between two texts (600 ms at 100 a minute) is waited out here: handing the batch back to
            // the queue for it would add a poll interval to every text, 500 texts taking 7 minutes instead of 5
            Optional<Duration> wait = budget.takeWaitingBriefly(rate);
            if (wait.isPresent()) {
                waitTogether(batch.subList(i, batch.size()), wait.get(), "SMS budget of " + rate.requests() + " a minute spent", outcomes);
                return;
            }
            SmsGateway.Answer answer = gateway.send(text.content().to(), CredentialMail.sms(text.content()), due.message().credential());
            if (answer instanceof SmsGateway.Accepted) {
                deliveries.texted(due.item(), due.message(), text.told());
                outcomes.done(due.item());
            } else if (answer instanceof SmsGateway.Later later) {
                budget.holdOff(rate, later.delay());
                waitTogether(batch.subList(i, batch.size()), later.delay(), "SMS gateway: 429, Retry-After " + later.delay().toSeconds() + " s", outcomes);
                return;
            } else if (answer instanceof SmsGateway.Refused refused) {
                outcomes.dead(due.item(), refused.reason());
            } else {
                // tried again after the queue's backoff; the rest of the batch waits behind it (the queue is ordered)
                outcomes.retry(due.item(), ((SmsGateway.Failed) answer).reason());
                waitTogether(batch.subList(i + 1, batch.size()), Duration.ZERO, "waiting behind a text the SMS gateway did not take", outcomes);
                return;
            }
        }
    }

    private static void waitTogether(List<Envelope<CredentialDue>> rest, Duration delay, String reason, Outcomes outcomes) {
        for (Envelope<CredentialDue> waiting : rest) {
            outcomes.retryAfter(waiting.item(), delay, reason);
        }
    }
}
