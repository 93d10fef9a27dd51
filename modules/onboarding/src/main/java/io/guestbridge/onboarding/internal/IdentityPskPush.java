package io.guestbridge.onboarding.internal;

import io.guestbridge.platform.api.Envelope;
import io.guestbridge.platform.api.RateBudget;
import io.guestbridge.platform.api.WorkHandler;
import io.guestbridge.platform.api.WorkItem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Brings each queued credential's identity PSK on its venue's Meraki dashboard in line with the credential: created
 * when issued, updated when its window moves or it is reissued, deleted when revoked or erased. Every call first
 * takes its turn from the organisation's budget shared by every instance; a 429's Retry-After is told to every
 * instance through the same budget. A dashboard that refuses for good makes a dead letter with the reason (replayable
 * like the deliveries'); one that is down, a retry with the queue's backoff.
 */
@ApplicationScoped
public class IdentityPskPush implements WorkHandler<IdentityPskDue> {

    static final String CHANNEL = "meraki";

    @Inject
    IdentityPsks psks;

    @Inject
    MerakiDashboard dashboard;

    @Inject
    RateBudget budget;

    @Override
    public Class<IdentityPskDue> type() {
        return IdentityPskDue.class;
    }

    @Override
    public String queue() {
        return "wifi-meraki";
    }

    @Override
    public int batchSize() {
        return 10;
    }

    /** One worker per instance: the dashboard's rate, not our threads, sets the pace. */
    @Override
    public int concurrency() {
        return 1;
    }

    @Override
    public void handle(List<Envelope<IdentityPskDue>> batch, Outcomes outcomes) {
        for (int i = 0; i < batch.size(); i++) {
            Optional<Duration> wait = push(batch.get(i), outcomes);
            if (wait.isPresent()) {
                for (Envelope<IdentityPskDue> waiting : batch.subList(i, batch.size())) {
                    outcomes.retryAfter(waiting.item(), wait.get(), "Meraki: the organisation's rate is spent");
                }
                return;
            }
        }
    }

    /** Pushes one credential; a wait when the rate is spent (the item untouched). */
    private Optional<Duration> push(Envelope<IdentityPskDue> due, Outcomes outcomes) {
        WorkItem item = due.item();
        IdentityPsks.Step step = psks.next(due.message());
        if (step instanceof IdentityPsks.Nothing) {
            psks.skipped(item);
            outcomes.done(item);
            return Optional.empty();
        }
        if (step instanceof IdentityPsks.Create create) {
            String name = create.body().getString("name");
            MerakiDashboard.Answer answer;
            if (item.attempts() > 1) {
                // an earlier attempt may have created it and lost the answer: look before creating a second one
                Optional<Duration> wait = take(create.target());
                if (wait.isPresent()) {
                    return wait;
                }
                answer = dashboard.findByName(create.target(), name);
                if (answer instanceof MerakiDashboard.Done found) {
                    return recordCreated(due, outcomes, create, found.id());
                }
                if (!(answer instanceof MerakiDashboard.Gone)) {
                    return settle(item, answer, create.target(), outcomes);
                }
            }
            Optional<Duration> wait = take(create.target());
            if (wait.isPresent()) {
                return wait;
            }
            answer = dashboard.create(create.target(), create.body());
            if (answer instanceof MerakiDashboard.Done done) {
                return recordCreated(due, outcomes, create, done.id());
            }
            return settle(item, answer, create.target(), outcomes);
        }
        if (step instanceof IdentityPsks.Update update) {
            Optional<Duration> wait = take(update.target());
            if (wait.isPresent()) {
                return wait;
            }
            MerakiDashboard.Answer answer = dashboard.update(update.target(), update.pskId(), update.body());
            if (answer instanceof MerakiDashboard.Done) {
                psks.updated(item, update.credential(), update.pskId());
                outcomes.done(item);
                return Optional.empty();
            }
            if (answer instanceof MerakiDashboard.Gone) {
                psks.lost(update.credential(), update.pskId());
                outcomes.retryAfter(item, Duration.ofSeconds(1), "Meraki: the identity PSK was deleted on the dashboard; it is created again");
                return Optional.empty();
            }
            return settle(item, answer, update.target(), outcomes);
        }
        IdentityPsks.Delete delete = (IdentityPsks.Delete) step;
        Optional<Duration> wait = take(delete.target());
        if (wait.isPresent()) {
            return wait;
        }
        MerakiDashboard.Answer answer = dashboard.delete(delete.target(), delete.pskId());
        if (answer instanceof MerakiDashboard.Done || answer instanceof MerakiDashboard.Gone) {
            psks.deleted(item, due.message(), delete.pskId());
            outcomes.done(item);
            return Optional.empty();
        }
        return settle(item, answer, delete.target(), outcomes);
    }

    private Optional<Duration> recordCreated(Envelope<IdentityPskDue> due, Outcomes outcomes, IdentityPsks.Create create, String pskId) {
        if (psks.created(due.item(), create.credential(), pskId)) {
            outcomes.done(due.item());
            return Optional.empty();
        }
        // revoked or erased while the call was out: nothing would ever name this identity PSK, so it goes at once
        Optional<Duration> wait = take(create.target());
        if (wait.isPresent()) {
            outcomes.retryAfter(due.item(), wait.get(), "Meraki: an identity PSK created for an ended credential waits to be deleted");
            return Optional.empty();
        }
        MerakiDashboard.Answer answer = dashboard.delete(create.target(), pskId);
        if (answer instanceof MerakiDashboard.Done || answer instanceof MerakiDashboard.Gone) {
            psks.deleted(due.item(), IdentityPskDue.deleteAfterErasure(create.credential().id(), create.credential().venueId(), pskId), pskId);
            outcomes.done(due.item());
            return Optional.empty();
        }
        outcomes.dead(due.item(), "Meraki: identity PSK " + pskId + " was created for a credential that ended meanwhile and could not be deleted ("
                + answer + "); delete it on the dashboard");
        return Optional.empty();
    }

    private Optional<Duration> take(MerakiTarget target) {
        return budget.take(dashboard.rate(target));
    }

    private Optional<Duration> settle(WorkItem item, MerakiDashboard.Answer answer, MerakiTarget target, Outcomes outcomes) {
        if (answer instanceof MerakiDashboard.Later later) {
            budget.holdOff(dashboard.rate(target), later.delay());
            return Optional.of(later.delay());
        }
        if (answer instanceof MerakiDashboard.Refused refused) {
            outcomes.dead(item, refused.reason());
        } else if (answer instanceof MerakiDashboard.Failed failed) {
            outcomes.retry(item, failed.reason());
        } else {
            outcomes.retry(item, "Meraki: unexpected answer " + answer);
        }
        return Optional.empty();
    }
}
