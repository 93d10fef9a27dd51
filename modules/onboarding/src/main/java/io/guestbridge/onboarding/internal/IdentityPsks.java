package io.guestbridge.onboarding.internal;

import io.guestbridge.audit.api.Actor;
import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditTrail;
import io.guestbridge.identity.api.GuestDirectory;
import io.guestbridge.onboarding.api.CredentialKind;
import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.WorkItem;
import io.guestbridge.platform.api.WorkQueue;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * The database side of pushing credentials to Meraki dashboards: what a credential needs there now, and recording
 * what the dashboard did, audited by ids (never the passphrase), with the queue item's completion in one transaction.
 * The calls to the dashboard happen between these transactions, never inside one.
 */
@ApplicationScoped
public class IdentityPsks {

    private static final String ACTOR = Actor.system("onboarding");

    private final OnboardingStore store = new OnboardingStore();

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Inject
    GuestDirectory guests;

    @Inject
    AuditTrail trail;

    @Inject
    WorkQueue queue;

    /** What the dashboard must be told. */
    sealed interface Step {
    }

    /** Nothing: not a pushed venue, or the dashboard is already as it should be. */
    record Nothing() implements Step {
    }

    record Create(StoredCredential credential, MerakiTarget target, JsonObject body) implements Step {
    }

    record Update(StoredCredential credential, MerakiTarget target, String pskId, JsonObject body) implements Step {
    }

    record Delete(MerakiTarget target, String pskId) implements Step {
    }

    /** Reads the credential as it is now and says what its identity PSK needs. */
    @Transactional(TxType.SUPPORTS)
    public Step next(IdentityPskDue due) {
        return Jdbc.inConnection(dataSource, "onboarding", c -> {
            Optional<MerakiTarget> target = store.network(c, due.venue()).map(Network::meraki);
            if (target.isEmpty()) {
                return new Nothing();
            }
            Optional<StoredCredential> found = store.byId(c, due.credential());
            if (found.isEmpty()) {
                return due.pskId() == null ? new Nothing() : new Delete(target.get(), due.pskId());
            }
            StoredCredential credential = found.get();
            Optional<String> pskId = store.merakiPskId(c, credential.id());
            if (credential.state() != StoredCredential.State.ACTIVE || credential.kind() != CredentialKind.PPSK) {
                return pskId.<Step>map(id -> new Delete(target.get(), id)).orElse(new Nothing());
            }
            Optional<byte[]> passphrase = guests.open(credential.guest(), StoredCredential.sealLabel(credential.id()), credential.sealedPassphrase());
            if (passphrase.isEmpty()) {
                // the guest's key is destroyed: the erasure queued the deletion of what the dashboard holds
                return new Nothing();
            }
            JsonObject body = IdentityPskBody.of(credential, new String(passphrase.get(), StandardCharsets.UTF_8), target.get());
            return pskId.<Step>map(id -> new Update(credential, target.get(), id, body)).orElse(new Create(credential, target.get(), body));
        });
    }

    /**
     * Records the identity PSK the dashboard created and completes the item; false when the credential was revoked
     * or erased meanwhile (then the caller deletes it again, as nothing would ever name it).
     */
    @Transactional
    public boolean created(WorkItem item, StoredCredential credential, String pskId) {
        boolean recorded = Jdbc.inConnection(dataSource, "onboarding", c -> store.recordMerakiPsk(c, credential.id(), pskId, Instant.now()));
        if (recorded) {
            audit("WIFI_CREDENTIAL_PSK_CREATED", credential, pskId);
            queue.complete(item);
        }
        return recorded;
    }

    @Transactional
    public void updated(WorkItem item, StoredCredential credential, String pskId) {
        audit("WIFI_CREDENTIAL_PSK_UPDATED", credential, pskId);
        queue.complete(item);
    }

    /** The dashboard no longer holds the identity PSK (deleted there by hand): forgotten, so the next push creates it again. */
    @Transactional
    public void lost(StoredCredential credential, String pskId) {
        if (Jdbc.inConnection(dataSource, "onboarding", c -> store.forgetMerakiPsk(c, credential.id(), pskId, Instant.now()))) {
            audit("WIFI_CREDENTIAL_PSK_LOST", credential, pskId);
        }
    }

    @Transactional
    public void deleted(WorkItem item, IdentityPskDue due, String pskId) {
        Jdbc.inConnection(dataSource, "onboarding", c -> store.forgetMerakiPsk(c, due.credential(), pskId, Instant.now()));
        trail.record(AuditEvent.of("onboarding", "WIFI_CREDENTIAL_PSK_DELETED").by(ACTOR)
                .about(due.guest() == null ? "venue:" + due.venue() : new io.guestbridge.identity.api.GuestId(due.guest()).subjectRef())
                .with("credential", due.credential()).with("venue", due.venue()).with("identityPsk", pskId).build());
        queue.complete(item);
    }

    @Transactional
    public void skipped(WorkItem item) {
        queue.complete(item);
    }

    private void audit(String action, StoredCredential credential, String pskId) {
        trail.record(AuditEvent.of("onboarding", action).by(ACTOR).about(credential.guest().subjectRef())
                .with("credential", credential.id()).with("venue", credential.venueId()).with("identityPsk", pskId)
                .with("validUntil", credential.window().until()).build());
    }
}
