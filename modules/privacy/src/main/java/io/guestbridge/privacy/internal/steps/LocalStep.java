package io.guestbridge.privacy.internal.steps;

import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditTrail;
import io.guestbridge.consent.api.ConsentDecision;
import io.guestbridge.consent.api.ConsentLedger;
import io.guestbridge.consent.api.ConsentRecord;
import io.guestbridge.crmsync.api.Sponsors;
import io.guestbridge.identity.api.GuestDirectory;
import io.guestbridge.identity.api.GuestField;
import io.guestbridge.identity.api.GuestId;
import io.guestbridge.identity.api.GuestUpdate;
import io.guestbridge.identity.api.NormalizedEmail;
import io.guestbridge.identity.api.Observation;
import io.guestbridge.identity.api.SourceSystem;
import io.guestbridge.platform.api.Jsonp;
import io.guestbridge.platform.api.SecretBox;
import io.guestbridge.platform.api.SubjectErasure;
import io.guestbridge.privacy.internal.exports.SubjectExports;
import io.guestbridge.privacy.internal.requests.PrivacyRequest;
import io.guestbridge.privacy.internal.requests.RequestRecords;
import io.guestbridge.privacy.internal.suppression.SuppressionList;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.TreeSet;

/**
 * What the step in this database does to the subject's data, by request type: erase it from every module (and suppress
 * the address), export it, correct it, withdraw marketing or sponsor consent. It runs in the transaction that confirms
 * the step ({@link RequestSteps#runLocal}), so it happens exactly once; it returns the step's evidence.
 */
@ApplicationScoped
class LocalStep {

    /** Art. 21 objects to direct marketing and the profiling related to it. */
    static final List<String> MARKETING_PURPOSES = List.of("marketing_email", "marketing_sms", "profiling");

    @Inject
    RequestRecords records;

    @Inject
    GuestDirectory guests;

    @Inject
    ConsentLedger consent;

    @Inject
    Sponsors sponsors;

    @Inject
    SuppressionList suppression;

    @Inject
    SubjectExports exports;

    @Inject
    @Any
    Instance<SubjectErasure> participants;

    @Inject
    AuditTrail trail;

    @Inject
    Instance<SecretBox> master;

    /** Does the request's part in this database; the evidence the step keeps. */
    String run(Connection c, PrivacyRequest request, NormalizedEmail email) throws SQLException {
        return switch (request.type()) {
            case ERASURE -> eraseLocally(c, request.id(), email);
            case ACCESS -> exports.create(c, request, email);
            case RECTIFICATION -> rectify(request, email);
            case OBJECTION -> object(request.id(), email);
            case OPT_OUT -> optOut(request.id(), email);
        };
    }

    /** Erases the subject from this database: every module's part and the suppression record. */
    private String eraseLocally(Connection c, String requestId, NormalizedEmail email) throws SQLException {
        Optional<GuestId> guest = guests.find(email);
        // which sponsors received the guest goes with the erasure; they are told once it has ended (Art. 19)
        List<String> recipients = guest.isEmpty() ? List.of() : sponsors.receivedBy(guest.get().value());
        records.noteRecipients(c, requestId, recipients);
        SubjectErasure.Subject subject = new SubjectErasure.Subject(guest.map(GuestId::value).orElse(null), guests.subjectIndex(email));
        StringJoiner evidence = new StringJoiner(", ");
        for (SubjectErasure participant : participants) {
            evidence.add(participant.module() + " " + participant.erase(subject) + " rows");
        }
        Instant erasedAt = Instant.now();
        suppression.suppress(email, erasedAt);
        trail.record(AuditEvent.of("privacy", "SUBJECT_ERASED_LOCALLY").by("system:privacy").about(guest.map(GuestId::subjectRef)
                .orElse(RequestRecords.ref(requestId))).with("request", requestId).with("erasedAt", erasedAt).build());
        return evidence + "; suppressed from " + erasedAt.truncatedTo(ChronoUnit.SECONDS)
                + (recipients.isEmpty() ? "" : "; sponsors to tell when the erasure ends: " + String.join(", ", recipients));
    }

    /** Art. 16: the subject's corrections outrank every source (see SourceSystem#isRectification). */
    private String rectify(PrivacyRequest request, NormalizedEmail email) {
        Optional<GuestId> guest = guests.find(email);
        if (guest.isEmpty()) {
            return "no profile held: nothing to correct";
        }
        String sealed = request.detailsSealed();
        JsonObject corrections;
        try (JsonReader reader = Jsonp.JSON.createReader(new StringReader(new String(master.get().open(sealed, RequestRecords.ref(request.id())
                + "/details"), StandardCharsets.UTF_8)))) {
            corrections = reader.readObject();
        }
        SourceSystem source = PrivacyRequest.PORTAL.equals(request.channel()) ? SourceSystem.SUBJECT : SourceSystem.OPERATOR;
        Instant now = Instant.now();
        List<Observation> observations = new ArrayList<>();
        for (Map.Entry<String, jakarta.json.JsonValue> correction : corrections.entrySet()) {
            observations.add(new Observation(GuestField.valueOf(correction.getKey()), ((jakarta.json.JsonString) correction.getValue()).getString(),
                    source, now));
        }
        guests.update(guest.get(), new GuestUpdate(observations, Optional.empty(), Optional.empty(), Optional.empty()), "privacy-request:" + request.id());
        return observations.size() + " field(s) corrected: " + String.join(", ", corrections.keySet()) + "; the CRMs follow with the next sync";
    }

    /**
     * Art. 21: every marketing purpose not already withdrawn is withdrawn, also one the guest never granted here: the
     * objection covers the marketing a CRM does on a subscription made elsewhere (the venue's website), and only a
     * withdrawal unsubscribes there. The ledger queues the CRM sync that unsubscribes.
     */
    private String object(String requestId, NormalizedEmail email) {
        Optional<GuestId> guest = guests.find(email);
        if (guest.isEmpty()) {
            return "no profile held: nothing to withdraw";
        }
        List<String> withdrawn = new ArrayList<>();
        Instant now = Instant.now();
        for (String purpose : MARKETING_PURPOSES) {
            if (consent.current(guest.get(), purpose).orElse(null) != ConsentDecision.WITHDRAWN) {
                consent.append(new ConsentRecord(guest.get(), purpose, ConsentDecision.WITHDRAWN, null, null, now, "privacy-request:" + requestId,
                        Map.of("basis", "Art. 21 objection"), false, false), "privacy-request:" + requestId);
                withdrawn.add(purpose);
            }
        }
        return withdrawn.isEmpty() ? "every marketing consent was withdrawn already" : "withdrawn: " + String.join(", ", withdrawn) + "; the CRMs follow with the next sync";
    }

    /**
     * CCPA right to opt out of sale or sharing: what this system shares with third parties is the sponsors' exports, so
     * every sponsor consent is withdrawn (each registered sponsor's, also one never granted, and any other the ledger holds
     * for the subject) with the request as evidence, and every sponsor's current share of the guest stops in this
     * transaction, audited, instead of at the sponsor's next export.
     */
    private String optOut(String requestId, NormalizedEmail email) {
        Optional<GuestId> guest = guests.find(email);
        if (guest.isEmpty()) {
            return "no profile held: nothing shared, nothing to withdraw";
        }
        TreeSet<String> purposes = new TreeSet<>();
        sponsors.recipients().forEach(sponsor -> purposes.add(sponsor.consentPurpose()));
        consent.history(guest.get()).stream().map(ConsentLedger.Entry::purpose).filter(p -> p.startsWith(Sponsors.CONSENT_PREFIX)).forEach(purposes::add);
        List<String> withdrawn = new ArrayList<>();
        Instant now = Instant.now();
        for (String purpose : purposes) {
            if (consent.current(guest.get(), purpose).orElse(null) != ConsentDecision.WITHDRAWN) {
                consent.append(new ConsentRecord(guest.get(), purpose, ConsentDecision.WITHDRAWN, null, null, now, "privacy-request:" + requestId,
                        Map.of("basis", "CCPA opt-out of sale or sharing"), false, false), "privacy-request:" + requestId);
                withdrawn.add(purpose);
            }
        }
        List<String> stopped = sponsors.stopSharingWith(guest.get().value(), "system:privacy", RequestRecords.ref(requestId));
        return (withdrawn.isEmpty() ? "no sponsor consent to withdraw" : "withdrawn: " + String.join(", ", withdrawn))
                + (stopped.isEmpty() ? "; no sponsor was receiving the guest" : "; sharing stopped with sponsor(s): " + String.join(", ", stopped));
    }
}
