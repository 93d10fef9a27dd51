package io.guestbridge.onboarding.internal;

import io.guestbridge.audit.api.Actor;
import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditTrail;
import io.guestbridge.consent.api.ConsentDecision;
import io.guestbridge.consent.api.ConsentLedger;
import io.guestbridge.identity.api.Country;
import io.guestbridge.identity.api.GuestDirectory;
import io.guestbridge.identity.api.GuestField;
import io.guestbridge.identity.api.PhoneNumber;
import io.guestbridge.identity.api.Venues;
import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.WorkItem;
import io.guestbridge.platform.api.WorkQueue;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.Config;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Delivery of credentials to their guests ahead of arrival: by default 24 hours before the window opens
 * ({@code onboarding.delivery.lead-hours}), or at once when the booking comes later. A run takes the due credentials
 * (locked and skipped by any other instance's run, then marked queued: each is handed over once) and queues one
 * delivery each, which every channel (mail, SMS) receives on its own queue. Delivery is a service message, sent
 * without marketing consent, but an objection to the channel (purpose {@value #SERVICE_EMAIL} or {@value #SERVICE_SMS}
 * denied or withdrawn in the consent ledger) withholds it. Delivered and withheld
 * are audited in the transaction that records them, by ids: never the passphrase or the address.
 */
@ApplicationScoped
public class Deliveries {

    /** The consent ledger's purpose under which a guest objects to service mail (this one included). */
    static final String SERVICE_EMAIL = "service_email";

    /** The consent ledger's purpose under which a guest objects to service text messages. */
    static final String SERVICE_SMS = "service_sms";

    static final String ACTOR = Actor.system("onboarding");

    private final OnboardingStore store = new OnboardingStore();

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Inject
    GuestDirectory guests;

    @Inject
    Venues venues;

    @Inject
    ConsentLedger ledger;

    @Inject
    WorkQueue queue;

    @Inject
    AuditTrail trail;

    @Inject
    Config config;

    @Inject
    DeliveryTemplates templates;

    /** What to do with one due credential. */
    sealed interface Next {
    }

    /** Nothing: revoked, delivered or gone since it was queued. */
    record Nothing() implements Next {
    }

    /** Withheld for a reason a person can act on; recorded, not retried. */
    record Withhold(String reason) implements Next {
    }

    /**
     * Send this (a mail, or a text whose {@code content.to()} is the E.164 number), then record it delivered with the
     * window it told.
     */
    record Mail(CredentialMail.Content content, ValidityWindow told) implements Next {
    }

    Duration lead() {
        return Duration.ofHours(config.getOptionalValue("onboarding.delivery.lead-hours", Long.class).orElse(24L));
    }

    /** Queues the delivery of every credential due at {@code now}, at most {@code limit}; how many were queued. */
    @Transactional
    public int queueDue(Instant now, int limit) {
        return Jdbc.inConnection(dataSource, "onboarding", c -> {
            int queued = 0;
            for (StoredCredential due : store.dueForDelivery(c, now.plus(lead()), limit)) {
                if (store.markQueued(c, due.id(), now)) {
                    queue.publish(new CredentialDue(due.id(), due.guest().value()), CredentialDue.keyInArrivalOrder(due.id(), due.window().from()));
                    queued++;
                }
            }
            return queued;
        });
    }

    /** Reads what the mail of a queued credential says, opening its passphrase; the caller sends it outside any transaction. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Next prepare(CredentialDue due) {
        Optional<StoredCredential> found = Jdbc.inConnection(dataSource, "onboarding", c -> store.byId(c, due.credential()));
        if (found.isEmpty() || found.get().state() != StoredCredential.State.ACTIVE || found.get().deliveredAt() != null) {
            return new Nothing();
        }
        StoredCredential credential = found.get();
        Optional<ConsentDecision> objection = ledger.current(credential.guest(), SERVICE_EMAIL);
        if (objection.isPresent() && (objection.get() == ConsentDecision.DENIED || objection.get() == ConsentDecision.WITHDRAWN)) {
            return new Withhold("the guest objects to service mail");
        }
        Optional<String> email = guests.profile(credential.guest()).map(p -> p.fields().get(GuestField.EMAIL)).map(GuestDirectory.Value::value);
        if (email.isEmpty()) {
            return new Withhold("the guest has no email address");
        }
        Optional<Venues.Venue> venue = venues.find(credential.venueId());
        Optional<Network> network = Jdbc.inConnection(dataSource, "onboarding", c -> store.network(c, credential.venueId()));
        if (venue.isEmpty() || network.isEmpty()) {
            return new Withhold("the venue or its network is no longer configured");
        }
        Optional<byte[]> passphrase = guests.open(credential.guest(), StoredCredential.sealLabel(credential.id()), credential.sealedPassphrase());
        if (passphrase.isEmpty()) {
            return new Nothing(); // the guest's key is gone: erased, and the rows go with the erasure
        }
        CredentialMail.Content content = new CredentialMail.Content(email.get(), venue.get().name(), network.get().ssid(), credential.kind(),
                credential.username(), new String(passphrase.get(), StandardCharsets.UTF_8), credential.window(), venue.get().zone(),
                CredentialMail.languageOf(venue.get().phoneCountry().map(Country::code).orElse(null)));
        return new Mail(inVenueWords(content, credential, DeliveryTemplate.EMAIL), credential.window());
    }

    /** Records the mail as delivered with the window it told, audited, and completes the queue item: one transaction. */
    @Transactional
    public void delivered(WorkItem item, CredentialDue due, ValidityWindow told, String channel) {
        Jdbc.inConnection(dataSource, "onboarding", c -> {
            Optional<StoredCredential> credential = store.byId(c, due.credential());
            if (credential.isPresent() && store.markDelivered(c, due.credential(), told, Instant.now())) {
                trail.record(AuditEvent.of("onboarding", "WIFI_CREDENTIAL_DELIVERED").by(ACTOR).about(credential.get().guest().subjectRef())
                        .with("credential", credential.get().id()).with("venue", credential.get().venueId()).with("channel", channel).build());
            }
            return null;
        });
        queue.complete(item);
    }

    /** Records why the credential is not delivered on a channel, audited, and completes the queue item: one transaction. */
    @Transactional
    public void withheld(WorkItem item, CredentialDue due, String channel, String reason) {
        Jdbc.inConnection(dataSource, "onboarding", c -> store.byId(c, due.credential())).ifPresent(credential ->
                trail.record(AuditEvent.of("onboarding", "WIFI_CREDENTIAL_DELIVERY_WITHHELD").by(ACTOR).about(credential.guest().subjectRef())
                        .with("credential", credential.id()).with("venue", credential.venueId()).with("channel", channel).with("reason", reason)
                        .build()));
        queue.complete(item);
    }

    /**
     * Reads what the SMS of a queued credential says and where it goes. A guest without a phone number gets none
     * (the mail carries the credential); a number written without its country code is read in the venue's country,
     * and one that still is no valid number is withheld with the reason, never sent half-right.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Next prepareText(CredentialDue due) {
        Optional<StoredCredential> found = Jdbc.inConnection(dataSource, "onboarding", c -> store.byId(c, due.credential()));
        if (found.isEmpty() || found.get().state() != StoredCredential.State.ACTIVE
                || Jdbc.inConnection(dataSource, "onboarding", c -> store.texted(c, due.credential()))) {
            return new Nothing();
        }
        StoredCredential credential = found.get();
        Optional<String> phone = guests.profile(credential.guest()).map(p -> p.fields().get(GuestField.PHONE)).map(GuestDirectory.Value::value);
        if (phone.isEmpty()) {
            return new Nothing();
        }
        Optional<ConsentDecision> objection = ledger.current(credential.guest(), SERVICE_SMS);
        if (objection.isPresent() && (objection.get() == ConsentDecision.DENIED || objection.get() == ConsentDecision.WITHDRAWN)) {
            return new Withhold("the guest objects to service text messages");
        }
        Optional<Venues.Venue> venue = venues.find(credential.venueId());
        Optional<Network> network = Jdbc.inConnection(dataSource, "onboarding", c -> store.network(c, credential.venueId()));
        if (venue.isEmpty() || network.isEmpty()) {
            return new Withhold("the venue or its network is no longer configured");
        }
        Optional<Country> country = venue.get().phoneCountry();
        PhoneNumber.Reading reading = PhoneNumber.read(phone.get(), country.orElse(null));
        if (!reading.verified()) {
            return new Withhold("the phone number cannot be texted: " + reading.unverifiedReason());
        }
        Optional<byte[]> passphrase = guests.open(credential.guest(), StoredCredential.sealLabel(credential.id()), credential.sealedPassphrase());
        if (passphrase.isEmpty()) {
            return new Nothing();
        }
        String to = reading.value().replaceAll(";ext=.*$", "");
        CredentialMail.Content content = new CredentialMail.Content(to, venue.get().name(), network.get().ssid(), credential.kind(),
                credential.username(), new String(passphrase.get(), StandardCharsets.UTF_8), credential.window(), venue.get().zone(),
                CredentialMail.languageOf(country.map(Country::code).orElse(null)));
        return new Mail(inVenueWords(content, credential, DeliveryTemplate.SMS), credential.window());
    }

    /** The content in the venue's own words for the channel and the guest's language, when it wrote some; else as it is. */
    private CredentialMail.Content inVenueWords(CredentialMail.Content content, StoredCredential credential, String channel) {
        Optional<DeliveryTemplate> words = templates.find(credential.venueId(), channel, content.language().getLanguage());
        if (words.isEmpty()) {
            return content;
        }
        String firstName = guests.profile(credential.guest()).map(p -> p.fields().get(GuestField.FIRST_NAME)).map(GuestDirectory.Value::value)
                .orElse(null);
        return content.worded(words.get(), firstName);
    }

    /** Records the text as taken by the gateway with the window it told, audited, and completes the queue item: one transaction. */
    @Transactional
    public void texted(WorkItem item, CredentialDue due, ValidityWindow told) {
        Jdbc.inConnection(dataSource, "onboarding", c -> {
            Optional<StoredCredential> credential = store.byId(c, due.credential());
            if (credential.isPresent() && store.markTexted(c, due.credential(), told, Instant.now())) {
                trail.record(AuditEvent.of("onboarding", "WIFI_CREDENTIAL_DELIVERED").by(ACTOR).about(credential.get().guest().subjectRef())
                        .with("credential", credential.get().id()).with("venue", credential.get().venueId()).with("channel", SmsGateway.CHANNEL).build());
            }
            return null;
        });
        queue.complete(item);
    }

    /** Completes a queue item with nothing to record. */
    @Transactional
    public void skipped(WorkItem item) {
        queue.complete(item);
    }
}
