package io.guestbridge.onboarding.internal;

import io.guestbridge.platform.api.QueueStats;
import io.guestbridge.platform.api.WorkQueue;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How much delivery waits per channel and how long it takes at the channel's rate: an operator who sees 500
 * confirmations arrive in a minute against a gateway allowing 100 a minute sees five minutes to go, not an alarm.
 */
@ApplicationScoped
public class DeliveryBacklog {

    @Inject
    WorkQueue queue;

    @Inject
    CredentialMailing mailing;

    @Inject
    CredentialTexting texting;

    @Inject
    SmsGateway gateway;

    /** One channel's backlog. */
    @Schema(name = "WifiDeliveryBacklog", requiredProperties = {"channel", "queue", "pending", "dead"})
    public record Channel(String channel, String queue, long pending, long dead,
                          @Schema(description = "The channel's rate shared by every instance; absent when it has none (mail)") Integer messagesPerMinute,
                          @Schema(description = "Seconds until the pending messages are sent at that rate; absent without a rate") Long expectedDrainSeconds) {
    }

    public List<Channel> channels() {
        Map<String, QueueStats> stats = queue.stats().stream().collect(Collectors.toMap(QueueStats::queue, Function.identity()));
        QueueStats mail = stats.getOrDefault(mailing.queue(), new QueueStats(mailing.queue(), 0, 0, 0));
        QueueStats sms = stats.getOrDefault(texting.queue(), new QueueStats(texting.queue(), 0, 0, 0));
        int perMinute = gateway.rate().requests();
        return List.of(new Channel("email", mail.queue(), mail.pending(), mail.dead(), null, null),
                new Channel(SmsGateway.CHANNEL, sms.queue(), sms.pending(), sms.dead(), perMinute, drainSeconds(sms.pending(), perMinute)));
    }

    /** Whole seconds, rounded up: 500 messages at 100 a minute are 300 seconds. */
    static long drainSeconds(long pending, int perMinute) {
        return (pending * 60 + perMinute - 1) / perMinute;
    }
}
