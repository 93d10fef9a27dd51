package io.guestbridge.identity.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one source event says about a guest, applied in one go (one lock on the guest, one audit
 * record): field observations, a visit, a device, a stay. Absent parts are simply not observed.
 */
public record GuestUpdate(List<Observation> observations, Optional<Visit> visit, Optional<Device> device, Optional<Stay> stay) {

    public GuestUpdate {
        observations = List.copyOf(observations);
        Objects.requireNonNull(visit, "visit");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(stay, "stay");
    }

    /**
     * A guest seen at a venue: a login, a connection. All logins of one guest at one venue on one day
     * (in the venue's time zone) are one visit.
     *
     * @param dwellMinutes how long the source says the guest stayed, when it knows
     * @param zone         the access-point zone (e.g. "Lobby"), when known
     */
    public record Visit(Venues.Venue venue, Instant seenAt, Integer dwellMinutes, String zone) {
        public Visit {
            Objects.requireNonNull(venue, "venue");
            Objects.requireNonNull(seenAt, "seenAt");
            if (dwellMinutes != null && (dwellMinutes < 0 || dwellMinutes > 7 * 24 * 60)) {
                throw new IllegalArgumentException("dwell time must be between 0 and 10080 minutes (a week)");
            }
            if (zone != null && (zone.isBlank() || zone.length() > 100)) {
                zone = zone.isBlank() ? null : zone.substring(0, 100);
            }
        }
    }

    /**
     * A device the guest used. The MAC is hashed with the pepper before it is stored; the user agent is
     * parsed into device type and OS unless the source already names them.
     */
    public record Device(String mac, String userAgent, String deviceType, String os, Instant seenAt) {
        public Device {
            Objects.requireNonNull(seenAt, "seenAt");
        }

        @Override
        public String toString() {
            return "Device[seen " + seenAt + ", identifiers redacted]";
        }
    }

    /** A stay from a booking system, its times already in UTC. */
    public record Stay(String sourceId, String reservationRef, Status status, Instant arrival, Instant departure, ZoneId zone,
                       Instant eventAt) {
        @Schema(name = "StayStatus")
        public enum Status { CONFIRMED, CANCELLED, CHECKED_IN, CHECKED_OUT }

        public Stay {
            Objects.requireNonNull(sourceId, "sourceId");
            Objects.requireNonNull(reservationRef, "reservationRef");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(departure, "departure");
            Objects.requireNonNull(zone, "zone");
            Objects.requireNonNull(eventAt, "eventAt");
            if (arrival != null && arrival.isAfter(departure)) {
                throw new IllegalArgumentException("the arrival is after the departure");
            }
        }
    }

    /** What an update changed, for the caller's bookkeeping. */
    public record Changes(List<GuestField> fields, boolean visitRecorded, boolean deviceRecorded, boolean stayChanged) {
        public boolean any() {
            return !fields.isEmpty() || visitRecorded || deviceRecorded || stayChanged;
        }
    }

    /**
     * The country where the source collected what it reports, for reading national phone numbers: the
     * venue's when the update is a visit, else the country of the stay's time zone (the venue's zone in
     * which the booking system gave the times). Empty when neither names one.
     */
    public Optional<Country> country() {
        if (visit.isPresent()) {
            return visit.get().venue().phoneCountry();
        }
        return stay.flatMap(s -> Country.ofZone(s.zone()));
    }

    public static GuestUpdate of(List<Observation> observations) {
        return new GuestUpdate(observations, Optional.empty(), Optional.empty(), Optional.empty());
    }
}
