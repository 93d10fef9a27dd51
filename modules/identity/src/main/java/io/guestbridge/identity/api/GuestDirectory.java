package io.guestbridge.identity.api;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The identity module's front door: find or create guests, apply what sources observed about them
 * under the field-ownership policy, read a profile with its provenance. Every method joins the
 * caller's transaction; every change is audited and publishes {@link GuestChanged} in that same
 * transaction (the outbox), and a change to the guest's stays also {@link GuestStayChanged}.
 */
public interface GuestDirectory {

    /**
     * Publishes {@link GuestChanged} for a change that other systems read along with the profile but that is
     * kept elsewhere (consent: the CRMs' marketing flags follow it). Joins the caller's transaction.
     */
    void announceChange(GuestId guest);

    /** The guest of this email, created (and audited) if it is new. */
    GuestId resolve(NormalizedEmail email, SourceSystem source, Instant observedAt, String actor);

    Optional<GuestId> find(NormalizedEmail email);

    /** Applies an observation; true when it changed the profile. */
    boolean observe(GuestId guest, Observation observation, String actor);

    Optional<Profile> profile(GuestId guest);

    /** Profiles of many guests in a few queries (CRM batches); erased or unknown guests are absent. */
    Map<GuestId, Profile> profiles(List<GuestId> guests);

    /** Visit counters of many guests in one query; guests without visits get zeros. */
    Map<GuestId, VisitSummary> visitSummaries(List<GuestId> guests);

    /**
     * When each guest's stays last changed: the time of the latest booking event applied (a new reservation, a
     * check-in, a cancellation), in one query; guests without stays are absent. For CRM sync triggers.
     */
    Map<GuestId, Instant> staysChangedAt(List<GuestId> guests);

    /**
     * When each guest's profile was last rectified (Art. 16, {@link SourceSystem#isRectification()}): the latest time a
     * correction by the guest or by staff on the guest's request was made, among the field values that still hold one,
     * in one query; guests without a standing correction are absent. A correction a field's master later overwrote no
     * longer counts: the field holds the master's value. For CRM sync, which tells every recipient of a rectification.
     */
    Map<GuestId, Instant> rectifiedAt(List<GuestId> guests);

    /**
     * Applies everything one source event says about a guest under one lock: observations (by the
     * ownership policy), a visit, a device, a stay. One audit record lists what changed; any change
     * queues the guest for CRM sync. Joins the caller's transaction.
     */
    GuestUpdate.Changes update(GuestId guest, GuestUpdate update, String actor);

    /** One email seen by a source. */
    record Sighting(NormalizedEmail email, SourceSystem source, Instant observedAt, String actor) {
        @Override
        public String toString() {
            return "Sighting[" + source + " at " + observedAt + ", email redacted]";
        }
    }

    /** One source event about a guest: the email it names and what it says about that guest. */
    record Seen(Sighting sighting, GuestUpdate update) {
    }

    /**
     * The guests of many source events, in their order, each found or created by its email and the event's update
     * applied to it: what {@link #resolve} then {@link #update} for each event in turn would leave, found, created,
     * locked, read and written set-wise (a few statements for a whole chunk of events). One audit record per event:
     * {@code GUEST_CREATED} for the event that created its guest, listing what the event set as well, and
     * {@code GUEST_UPDATED} for one that changed a guest that existed; a new email seen twice creates one guest, by
     * its first event. Joins the caller's transaction.
     */
    List<GuestId> applyAll(List<Seen> events);

    /**
     * Seals bytes that belong to the guest (e.g. a raw event that became its data) under the guest's data
     * key, bound to the guest and the label: erasing the guest destroys the key, and with it every copy of
     * these bytes, backups included. Empty when the guest's key is gone (erased).
     */
    Optional<byte[]> seal(GuestId guest, String label, byte[] plaintext);

    /** Opens what {@link #seal} sealed for this guest and label; empty once the guest's key is gone. */
    Optional<byte[]> open(GuestId guest, String label, byte[] sealed);

    /**
     * The keyed hash (the device pepper's, the one guests' devices are stored under) of a MAC address written in any
     * common notation (aa:bb:…, AA-BB-…, aabb.cc…, aabbcc…); empty when it is not a MAC. For other modules that must
     * recognise a device again without keeping its MAC.
     */
    Optional<String> deviceHash(String mac);

    /**
     * The keyed blind index of an email: what other modules store to find a data subject's rows again
     * (e.g. quarantined events) without keeping the email.
     */
    String subjectIndex(NormalizedEmail email);

    /** The field-ownership policy in force (configuration): which system is master of each field. */
    FieldOwnership ownership();

    /**
     * Guests with no activity since {@code cutoff}: created before it, and no visit (a WiFi login) seen and no stay
     * ending after it; at most {@code limit}, the longest inactive first. For retention, which erases them.
     */
    List<GuestId> inactiveSince(Instant cutoff, int limit);

    /** Visit counters, derived from the recorded visits (never from a source's own counter). */
    VisitSummary visitSummary(GuestId guest);

    /** The latest visits first. */
    List<VisitEntry> visits(GuestId guest, int limit);

    List<StayEntry> stays(GuestId guest);

    /**
     * Publishes {@link GuestStayChanged} in the caller's transaction for each guest with a stay from the booking source
     * {@code sourceId} that departs after {@code departingAfter}: for a module that starts following the source's stays,
     * or follows them by new rules, after its bookings arrived (a venue's WiFi network configured, or changed). Returns
     * how many guests.
     */
    int announceStays(String sourceId, Instant departingAfter);

    List<DeviceEntry> devices(GuestId guest);

    /**
     * Guests created or changed after the cursor (an audit sequence number), in change order, each once per
     * page at its latest change in the page; numbered changes only, so no gaps or repeats under concurrent writes.
     */
    List<Change> changes(long after, int limit);

    @Schema(requiredProperties = {"visits", "totalDwellMinutes"})
    record VisitSummary(int visits, @Schema(type = SchemaType.INTEGER, format = "int64") long totalDwellMinutes, Instant firstSeen, Instant lastSeen) {
    }

    @Schema(requiredProperties = {"venueId", "day", "firstSeen", "lastSeen", "logins"})
    record VisitEntry(String venueId, String venueName, LocalDate day, Instant firstSeen, Instant lastSeen, Integer dwellMinutes,
                      String zone, int logins) {
    }

    @Schema(requiredProperties = {"sourceId", "reservationRef", "status"})
    record StayEntry(String sourceId, String reservationRef, GuestUpdate.Stay.Status status, Instant arrival, Instant departure,
                     String timeZone) {
    }

    /** A device: no MAC or hash leaves the module, only whether it was randomised and what it is. */
    @Schema(requiredProperties = "randomised")
    record DeviceEntry(boolean randomised, String deviceType, String os, Instant firstSeen, Instant lastSeen) {
    }

    record Change(long sequence, GuestId guest, Instant changedAt) {
    }

    /**
     * The guest an API path names: a 400 problem when the id is not a guest id, a 404 problem when no
     * such guest exists (or it was erased). For the REST resources of every module.
     */
    default GuestId existing(String id) {
        GuestId guest;
        try {
            guest = new GuestId(id);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw io.guestbridge.platform.api.ProblemException.invalid(
                    "the guest id must be a UUID such as 0190c8a4-7f1e-7b3a-9c1d-3e5f7a9b1c2d");
        }
        if (profile(guest).isEmpty()) {
            throw io.guestbridge.platform.api.ProblemException.notFound("There is no guest " + guest.value() + " (or it was erased).");
        }
        return guest;
    }

    /** A profile as other modules and the API see it. */
    record Profile(GuestId guest, Map<GuestField, Value> fields) {
    }

    /**
     * A field's value and provenance: which system reported it, when that system observed it, whether that
     * system owns the field, and whether the value is verified by the field's rules. An unverified value
     * (a phone number that is not a valid number, a national number from where no country is known, a
     * fictional range) is kept as the source gave it, with {@code unverifiedReason} saying why; it is not
     * sent to the CRMs.
     */
    @Schema(name = "FieldValue", requiredProperties = {"value", "source", "observedAt", "owning", "verified"},
            description = "A field's value, the system that reported it, when, whether that system is the field's master, and whether "
                    + "the value is verified (unverifiedReason says why not)")
    record Value(String value, SourceSystem source, Instant observedAt, boolean owning, boolean verified, String unverifiedReason) {

        public Value {
            if (verified != (unverifiedReason == null)) {
                throw new IllegalArgumentException("an unverified value has a reason, a verified one none");
            }
        }

        public Value(String value, SourceSystem source, Instant observedAt, boolean owning) {
            this(value, source, observedAt, owning, true, null);
        }

        @Override
        public String toString() {
            return "Value[" + source + " at " + observedAt + (verified ? "" : ", unverified") + ", value redacted]";
        }
    }
}
