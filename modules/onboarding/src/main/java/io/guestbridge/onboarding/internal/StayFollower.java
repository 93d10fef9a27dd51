package io.guestbridge.onboarding.internal;

import io.guestbridge.audit.api.Actor;
import io.guestbridge.identity.api.GuestStayChanged;
import io.guestbridge.platform.api.Envelope;
import io.guestbridge.platform.api.WorkHandler;
import io.guestbridge.platform.api.WorkQueue;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;

/**
 * Follows booking events into credentials: identity announces every change to a guest's stays in the transaction of
 * the change; here the guest's credentials are brought in line with their stays, in one transaction with the item's
 * completion, so each change is applied exactly once. A credential depends on the guest's stays alone, so the other
 * changes to a guest (a WiFi login, a profile field) do not wake this follower.
 */
@ApplicationScoped
public class StayFollower implements WorkHandler<GuestStayChanged> {

    @Inject
    Credentials credentials;

    @Inject
    WorkQueue queue;

    @Override
    public Class<GuestStayChanged> type() {
        return GuestStayChanged.class;
    }

    @Override
    public String queue() {
        return "wifi-onboarding";
    }

    @Override
    @Transactional
    public void handle(List<Envelope<GuestStayChanged>> batch, Outcomes outcomes) {
        Instant now = Instant.now();
        for (Envelope<GuestStayChanged> changed : batch) {
            credentials.follow(changed.message().guestRef(), now, Actor.system("onboarding"));
            queue.complete(changed.item());
            outcomes.done(changed.item());
        }
    }
}
