package io.guestbridge.crmsync.internal.sponsors;

import io.guestbridge.crmsync.api.Sponsors;
import io.guestbridge.crmsync.internal.connectors.GuestValues;
import io.guestbridge.platform.api.InstantConverter;
import io.guestbridge.platform.api.Redaction;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A sponsor and its data sharing agreement: who receives guest data, under which agreement, for what purpose, which
 * fields, from when until when. The agreement is in force from its start (inclusive) to its end (exclusive); an
 * open-ended one until the DPO ends it. Start and end are instants: an export is compared with them at the moment it
 * happens, and a date alone would leave open in which zone the day begins. Guests reach a sponsor only through their
 * own consent to it, the ledger's purpose {@code sponsor:<id>}, so the id is the one the portals' consent names.
 */
@Entity
@Table(name = "crm_sponsor")
@NamedQuery(name = "Sponsor.all", query = "SELECT s FROM Sponsor s ORDER BY s.name, s.id")
@NamedQuery(name = "Sponsor.byAgreement", query = "SELECT s FROM Sponsor s WHERE s.agreementRef = :ref")
public class Sponsor {

    /** The consent ledger's sponsor purposes are lower-case (it reads purposes lower-cased). */
    static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,39}");
    static final Pattern AGREEMENT_REF = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,99}");

    /** Where an agreement stands at a moment. */
    enum Status { NOT_STARTED, IN_FORCE, ENDED }

    /** What the DPO registers: the agreement's terms as signed. */
    record Terms(String id, String name, String agreementRef, String purpose, List<String> sharedFields, Instant startsAt, Instant endsAt,
                 String contactEmail) {
    }

    @Id
    private String id;

    @Column(nullable = false)
    private String name;

    @Column(name = "agreement_ref", nullable = false, updatable = false)
    private String agreementRef;

    @Column(nullable = false)
    private String purpose;

    @Column(name = "shared_fields", nullable = false)
    private String sharedFields;

    @Column(name = "starts_at", nullable = false, updatable = false)
    @Convert(converter = InstantConverter.class)
    private Instant startsAt;

    @Column(name = "ends_at")
    @Convert(converter = InstantConverter.class)
    private Instant endsAt;

    /** The sponsor's privacy contact: told when a guest it received is erased. */
    @Column(name = "contact_email")
    private String contactEmail;

    @Column(name = "created_at", nullable = false, updatable = false)
    @Convert(converter = InstantConverter.class)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    @Convert(converter = InstantConverter.class)
    private Instant updatedAt;

    protected Sponsor() {
        // for JPA
    }

    /** A new sponsor from the agreement's terms; refuses ({@link IllegalArgumentException}, the reason for a person) what cannot be one. */
    static Sponsor register(Terms terms, Instant now) {
        Sponsor s = new Sponsor();
        if (terms.id() == null || !ID.matcher(terms.id()).matches()) {
            throw new IllegalArgumentException("id must be 1–40 of a-z 0-9 . _ - (starting with a letter or digit): it is the consent purpose sponsor:<id>");
        }
        String name = terms.name() == null ? "" : terms.name().strip();
        if (name.isEmpty() || name.length() > 200) {
            throw new IllegalArgumentException("name is required (at most 200 characters)");
        }
        if (terms.agreementRef() == null || !AGREEMENT_REF.matcher(terms.agreementRef()).matches()
                || Redaction.containsPersonalData(terms.agreementRef())) {
            throw new IllegalArgumentException("agreementRef must be the agreement's reference, 1–100 of A-Z a-z 0-9 . _ / - (it is audited, "
                    + "so it must not look like an email or a phone number)");
        }
        String purpose = terms.purpose() == null ? "" : terms.purpose().strip();
        if (purpose.isEmpty() || purpose.length() > 500) {
            throw new IllegalArgumentException("purpose is required (at most 500 characters): what the sponsor may use the data for");
        }
        if (terms.startsAt() == null) {
            throw new IllegalArgumentException("startsAt is required: when the agreement takes effect (ISO-8601 with an offset, e.g. 2026-12-01T00:00:00+01:00)");
        }
        requireEndAfterStart(terms.startsAt(), terms.endsAt());
        s.contactEmail = contact(terms.contactEmail());
        s.id = terms.id();
        s.name = name;
        s.agreementRef = terms.agreementRef();
        s.purpose = purpose;
        s.sharedFields = String.join(",", fields(terms.sharedFields()));
        s.startsAt = terms.startsAt();
        s.endsAt = terms.endsAt();
        s.createdAt = now;
        s.updatedAt = now;
        return s;
    }

    /** The shared fields, checked against the vocabulary the connectors map: each known, at least one, none twice. */
    static List<String> fields(List<String> requested) {
        if (requested == null || requested.isEmpty()) {
            throw new IllegalArgumentException("sharedFields must name at least one field of: " + String.join(", ", GuestValues.names()));
        }
        Set<String> fields = new LinkedHashSet<>();
        List<String> unknown = new ArrayList<>();
        for (String field : requested) {
            String name = field == null ? "" : field.strip().toUpperCase(java.util.Locale.ROOT);
            if (GuestValues.isGuestValue(name)) {
                fields.add(name);
            } else {
                unknown.add(field == null ? "null" : field.strip());
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("sharedFields: unknown field " + String.join(", ", unknown) + "; the fields are: "
                    + String.join(", ", GuestValues.names()));
        }
        return List.copyOf(fields);
    }

    private static void requireEndAfterStart(Instant start, Instant end) {
        if (end != null && !end.isAfter(start)) {
            throw new IllegalArgumentException("the agreement's end (" + end + ") must be after its start (" + start + ")");
        }
    }

    Status statusAt(Instant at) {
        return status(startsAt, endsAt, at);
    }

    /** Where an agreement of this term stands at a moment: from its start (inclusive) to its end (exclusive). */
    static Status status(Instant startsAt, Instant endsAt, Instant at) {
        if (at.isBefore(startsAt)) {
            return Status.NOT_STARTED;
        }
        return endsAt == null || at.isBefore(endsAt) ? Status.IN_FORCE : Status.ENDED;
    }

    boolean inForceAt(Instant at) {
        return statusAt(at) == Status.IN_FORCE;
    }

    /**
     * Moves the agreement's end (a renewal, a shortening, or null for open-ended); returns the end it had. An end in the
     * past ends sharing at once; one moved past an earlier expiry resumes it, as the renewed agreement allows.
     */
    Instant changeEnd(Instant end, Instant now) {
        requireEndAfterStart(startsAt, end);
        Instant previous = endsAt;
        endsAt = end;
        updatedAt = now;
        return previous;
    }

    /**
     * Sets the sponsor's privacy contact (null: none), the address told when a guest it received is erased; returns
     * whether one was registered before.
     */
    boolean changeContact(String address, Instant now) {
        String normalised = contact(address);
        boolean had = contactEmail != null;
        contactEmail = normalised;
        updatedAt = now;
        return had;
    }

    private static String contact(String address) {
        if (address == null) {
            return null;
        }
        try {
            return io.guestbridge.identity.api.NormalizedEmail.parse(address).value();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("contactEmail must be the sponsor's privacy contact address (" + e.getMessage() + ")");
        }
    }

    /**
     * Ends the agreement now (a termination): nothing is shared from this moment. One not yet started ends at its start,
     * so it never comes into force. Refused ({@link IllegalStateException}) when it has already ended.
     */
    void endNow(Instant now) {
        if (statusAt(now) == Status.ENDED) {
            throw new IllegalStateException("the agreement " + agreementRef + " already ended at " + endsAt);
        }
        endsAt = now.isBefore(startsAt) ? startsAt : now;
        updatedAt = now;
    }

    String id() {
        return id;
    }

    String name() {
        return name;
    }

    String agreementRef() {
        return agreementRef;
    }

    Instant startsAt() {
        return startsAt;
    }

    Instant endsAt() {
        return endsAt;
    }

    String consentPurpose() {
        return "sponsor:" + id;
    }

    List<String> sharedFields() {
        return Arrays.stream(sharedFields.split(",")).filter(f -> !f.isEmpty()).toList();
    }

    Sponsors.Recipient view(Instant at) {
        return new Sponsors.Recipient(id, name, agreementRef, purpose, sharedFields(), startsAt, endsAt, inForceAt(at), consentPurpose(), contactEmail);
    }

    @Override
    public String toString() {
        return "Sponsor[" + id + ", " + agreementRef + "]";
    }
}
