package io.guestbridge.ingestion.internal.processing;

import io.guestbridge.consent.api.ConsentDecision;
import io.guestbridge.consent.api.ConsentRecord;
import io.guestbridge.identity.api.GuestField;
import io.guestbridge.identity.api.GuestUpdate;
import io.guestbridge.identity.api.NormalizedEmail;
import io.guestbridge.identity.api.Observation;
import io.guestbridge.identity.api.SourceSystem;
import io.guestbridge.ingestion.internal.sources.Source;
import io.guestbridge.platform.api.Jsonp;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

import io.guestbridge.platform.api.Digests;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the three formats guest data arrives in (Purple's webhook, the generic guest event of middleware,
 * the canonical booking event) into {@link GuestEvent}s. A reader never refuses a payload for
 * cosmetic oddities or unknown fields; it refuses (as {@link GuestEvent.Unusable}, which sends the event
 * to quarantine with the reason) only what cannot become correct guest data. Reasons never quote values:
 * they end up in lists that operators read, and values may be personal data.
 */
public final class EventReader {

    /** Events claiming to have happened before this are not plausible (a clock reset, a typo). */
    static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    /** How far ahead of our clock a sender's clock may run. */
    static final Duration FUTURE_SKEW = Duration.ofHours(24);

    private static final DateTimeFormatter OFFSET_WITHOUT_COLON = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME).optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd().toFormatter(Locale.ROOT);

    /** Where an event came from: its source, the source's time zone and venue, and the delivery. */
    public record Origin(String sourceId, ZoneId zone, String venueRef, String deliveryId, long inboxId, Instant receivedAt, Instant now) {
    }

    private EventReader() {
    }

    public static JsonObject parseObject(byte[] body) throws GuestEvent.Unusable {
        try (JsonReader reader = Jsonp.JSON.createReader(new ByteArrayInputStream(body))) {
            JsonValue value = reader.readValue();
            if (value.getValueType() != JsonValue.ValueType.OBJECT) {
                throw new GuestEvent.Unusable("the event is not a JSON object");
            }
            return value.asJsonObject();
        } catch (JsonException e) {
            throw new GuestEvent.Unusable("the event is not well-formed JSON");
        }
    }

    // ---------------------------------------------------------------- Purple

    /**
     * Purple's login webhook: {@code client} (mac, userAgent), {@code company}, {@code session}
     * (authenticationTime), {@code user} (email, names, dateOfBirth, gender, phone, id…), {@code venue} (id,
     * name, latitude, longitude). Purple sends no delivery id and retries every 3 hours, so the
     * duplicate key is the user, the venue and the authentication time.
     *
     * <p>That key deliberately leaves out which of our sources delivered the event: Purple's user and venue
     * ids are Purple's own, the same whichever webhook carries them, and one login reaches us twice when
     * a venue's webhook and its company's both point here, or an operator registered Purple again and
     * both URLs stay in Purple's flows. The user is its id together with its email, so that a sender that
     * reuses or omits ids can never make two people's logins look like one.
     */
    static GuestEvent purple(JsonObject body, Origin origin) throws GuestEvent.Unusable {
        LenientJson root = new LenientJson(body);
        LenientJson user = root.object("user").orElseThrow(() -> new GuestEvent.Unusable("the Purple event has no 'user' object"));
        LenientJson session = root.object("session").orElse(empty());
        LenientJson client = root.object("client").orElse(empty());
        Optional<LenientJson> venue = root.object("venue");

        NormalizedEmail email = email(user.text("email", "emailAddress"));
        Instant at = time(session.text("authenticationTime", "authTime", "startTime").orElseThrow(() ->
                new GuestEvent.Unusable("the Purple event has no session.authenticationTime")), origin.zone(), origin);
        String venueId = venue.flatMap(v -> v.text("id")).orElse(null);
        String venueRef = venueId != null ? "purple:" + venueId : origin.venueRef() != null ? origin.venueRef() : "source:" + origin.sourceId();
        String venueName = venue.flatMap(v -> v.text("name")).orElse(venueRef);

        List<Observation> observations = new ArrayList<>();
        user.text("firstName", "first_name").ifPresent(v -> observations.add(obs(GuestField.FIRST_NAME, v, SourceSystem.WIFI, at)));
        user.text("lastName", "last_name").ifPresent(v -> observations.add(obs(GuestField.LAST_NAME, v, SourceSystem.WIFI, at)));
        birthDate(user.text("dateOfBirth", "dob", "birthDate")).ifPresent(v -> observations.add(obs(GuestField.BIRTH_DATE, v, SourceSystem.WIFI, at)));
        gender(user.text("gender")).ifPresent(v -> observations.add(obs(GuestField.GENDER, v, SourceSystem.WIFI, at)));
        user.text("phone", "mobile", "phoneNumber", "mobileNumber", "mobilePhone", "telephone")
                .ifPresent(v -> observations.add(phone(v, SourceSystem.WIFI, at)));
        observations.add(obs(GuestField.LAST_VENUE, venueName, SourceSystem.WIFI, at));

        List<GuestEvent.ConsentClaim> consents = new ArrayList<>();
        Map<String, String> evidence = Map.of("portal", "purple", "venue", venueRef);
        // logging in through the portal accepts its terms: recorded with the wording the venue's portal shows
        consents.add(new GuestEvent.ConsentClaim("terms", ConsentDecision.GRANTED, null, null, false, false, evidence));
        Optional<Boolean> marketing = user.bool("marketingConsent", "marketingOptIn", "optIn", "marketing");
        if (marketing.isPresent()) {
            consents.add(new GuestEvent.ConsentClaim("marketing_email", marketing.get() ? ConsentDecision.GRANTED : ConsentDecision.DENIED,
                    null, null, user.bool("marketingPreTicked", "preTicked").orElse(false), false, evidence));
        }

        String who = user.text("id").map(id -> "user:" + id + "/").orElse("") + "email:" + email.value();
        String dedup = digest("purple", who, venueRef, at.toString());
        return new GuestEvent(dedup, SourceSystem.WIFI, at, email, withinLimits(observations),
                Optional.of(new GuestEvent.VenueSeen(venueRef, venueName, null, null)),
                Optional.of(new GuestUpdate.Device(client.text("mac", "macAddress").orElse(null), client.text("userAgent").orElse(null),
                        null, null, at)),
                Optional.empty(), consents);
    }

    // ---------------------------------------------------------------- generic guest event

    /**
     * The generic guest event: email, full_name, phone, device_type, os, connect_time, dwell_time_minutes,
     * visit_count (ignored: visits are counted from recorded visits), venue_name, access_point_zone,
     * marketing_consent with consent_wording_id/version. Also the rows of a CSV import.
     */
    public static GuestEvent generic(JsonObject body, Origin origin) throws GuestEvent.Unusable {
        LenientJson event = new LenientJson(body);
        NormalizedEmail email = email(event.text("email", "emailAddress"));
        Instant at = time(event.text("connect_time", "connectTime", "connectedAt", "timestamp").orElseThrow(() ->
                new GuestEvent.Unusable("the event has no connect_time")), origin.zone(), origin);
        List<Observation> observations = new ArrayList<>();
        Optional<String> first = event.text("first_name");
        Optional<String> last = event.text("last_name");
        Optional<String> full = event.text("full_name", "name");
        if (first.isEmpty() && last.isEmpty() && full.isPresent()) {
            // "Jane Smith" → Jane / Smith; a single word is a first name
            String[] parts = full.get().trim().split("\\s+", 2);
            first = Optional.of(parts[0]);
            last = parts.length > 1 ? Optional.of(parts[1]) : Optional.empty();
        }
        first.ifPresent(v -> observations.add(obs(GuestField.FIRST_NAME, v, SourceSystem.WIFI, at)));
        last.ifPresent(v -> observations.add(obs(GuestField.LAST_NAME, v, SourceSystem.WIFI, at)));
        event.text("phone", "mobile").ifPresent(v -> observations.add(phone(v, SourceSystem.WIFI, at)));
        birthDate(event.text("birth_date", "date_of_birth", "dob")).ifPresent(v -> observations.add(obs(GuestField.BIRTH_DATE, v, SourceSystem.WIFI, at)));
        gender(event.text("gender")).ifPresent(v -> observations.add(obs(GuestField.GENDER, v, SourceSystem.WIFI, at)));
        Optional<Integer> dwell = event.integer("dwell_time_minutes", "dwell_minutes", "dwell");
        if (dwell.isPresent() && (dwell.get() < 0 || dwell.get() > 7 * 24 * 60)) {
            throw new GuestEvent.Unusable("dwell_time_minutes must be between 0 and 10080");
        }
        Optional<String> zone = event.text("access_point_zone", "zone");
        Optional<String> venueName = event.text("venue_name", "venue");
        String venueRef = venueName.map(n -> "name:" + n.toLowerCase(Locale.ROOT))
                .orElse(origin.venueRef() != null ? origin.venueRef() : "source:" + origin.sourceId());
        String name = venueName.orElse(venueRef);
        observations.add(obs(GuestField.LAST_VENUE, name, SourceSystem.WIFI, at));
        zone.ifPresent(z -> observations.add(obs(GuestField.LAST_ZONE, z, SourceSystem.WIFI, at)));
        dwell.ifPresent(d -> observations.add(obs(GuestField.LAST_DWELL_MINUTES, String.valueOf(d), SourceSystem.WIFI, at)));

        List<GuestEvent.ConsentClaim> consents = new ArrayList<>();
        Optional<Boolean> marketing = event.bool("marketing_consent", "marketingConsent");
        if (marketing.isPresent()) {
            Map<String, String> evidence = zone.map(z -> Map.of("venue", venueRef, "zone", z)).orElse(Map.of("venue", venueRef));
            consents.add(new GuestEvent.ConsentClaim("marketing_email", marketing.get() ? ConsentDecision.GRANTED : ConsentDecision.DENIED,
                    event.text("consent_wording_id").orElse(null), event.text("consent_wording_version").orElse(null),
                    event.bool("consent_pre_ticked", "pre_ticked", "preTicked").orElse(false),
                    event.bool("consent_bundled", "bundled").orElse(false), evidence));
        }
        Optional<String> os = event.text("os");
        Optional<String> deviceType = event.text("device_type", "device");
        Optional<String> userAgent = event.text("user_agent", "userAgent");
        Optional<String> mac = event.text("mac", "mac_address");
        Optional<GuestUpdate.Device> device = os.isPresent() || deviceType.isPresent() || userAgent.isPresent() || mac.isPresent()
                ? Optional.of(new GuestUpdate.Device(mac.orElse(null), userAgent.orElse(null), deviceType.orElse(null), os.orElse(null), at))
                : Optional.empty();
        String dedup = digest("delivery", origin.sourceId(), origin.deliveryId() != null ? origin.deliveryId() : "inbox:" + origin.inboxId());
        return new GuestEvent(dedup, SourceSystem.WIFI, at, email, withinLimits(observations),
                Optional.of(new GuestEvent.VenueSeen(venueRef, name, dwell.orElse(null), zone.orElse(null))), device, Optional.empty(), consents);
    }

    // ---------------------------------------------------------------- booking (canonical JSON, README)

    /**
     * The canonical booking event. Arrival and departure are local times of the venue (reservation
     * timeZone, else the source's zone) and are stored in UTC; a time with an offset or Z is taken as
     * it is. A date alone means the start of that day.
     */
    static GuestEvent booking(JsonObject body, Origin origin) throws GuestEvent.Unusable {
        LenientJson event = new LenientJson(body);
        String type = event.text("type").orElseThrow(() -> new GuestEvent.Unusable("the booking event has no 'type'"));
        LenientJson reservation = event.object("reservation").orElseThrow(() -> new GuestEvent.Unusable("the booking event has no 'reservation'"));
        LenientJson guest = event.object("guest").orElseThrow(() -> new GuestEvent.Unusable("the booking event has no 'guest' (guest identifier missing)"));
        String reservationId = reservation.text("id").orElseThrow(() -> new GuestEvent.Unusable("reservation.id is missing"));
        if (reservationId.length() > MAX_RESERVATION_ID_LENGTH) {
            // a shortened id could be another reservation's: a stay is keyed by its source and this id
            throw new GuestEvent.Unusable("reservation.id is " + reservationId.length() + " characters long; the longest accepted is "
                    + MAX_RESERVATION_ID_LENGTH);
        }
        if (guest.text("id").isEmpty()) {
            throw new GuestEvent.Unusable("guest.id (the guest identifier) is missing");
        }
        Optional<String> rawEmail = guest.text("email");
        Optional<String> rawPhone = guest.text("phone");
        if (rawEmail.isEmpty() && rawPhone.isEmpty()) {
            throw new GuestEvent.Unusable("the guest has no contact: give guest.email or guest.phone");
        }
        if (rawEmail.isEmpty()) {
            throw new GuestEvent.Unusable("the guest has a phone but no email; guests are keyed by email, so add guest.email at the source and replay");
        }
        NormalizedEmail email = email(rawEmail);
        ZoneId zone = reservation.text("timeZone", "time_zone").map(z -> {
            try {
                return ZoneId.of(z);
            } catch (DateTimeException e) {
                return null;
            }
        }).orElse(origin.zone());
        if (zone == null) {
            throw new GuestEvent.Unusable("reservation.timeZone is not an IANA time zone such as Europe/London");
        }
        Instant at = time(event.text("occurredAt", "occurred_at", "timestamp").orElseThrow(() ->
                new GuestEvent.Unusable("the booking event has no occurredAt")), zone, origin);
        Instant departure = stayTime(reservation.text("departure", "checkOut", "end").orElseThrow(() ->
                new GuestEvent.Unusable("reservation.departure (the end of the stay) is missing")), zone, "departure");
        Optional<Instant> arrival = reservation.text("arrival", "checkIn", "start").isPresent()
                ? Optional.of(stayTime(reservation.text("arrival", "checkIn", "start").get(), zone, "arrival")) : Optional.empty();
        if (arrival.isPresent() && arrival.get().isAfter(departure)) {
            throw new GuestEvent.Unusable("reservation.arrival is after reservation.departure");
        }
        GuestUpdate.Stay.Status status = switch (type) {
            case "reservation.confirmed", "reservation.modified" -> "cancelled".equalsIgnoreCase(reservation.text("status").orElse(""))
                    ? GuestUpdate.Stay.Status.CANCELLED : GuestUpdate.Stay.Status.CONFIRMED;
            case "reservation.cancelled" -> GuestUpdate.Stay.Status.CANCELLED;
            case "guest.checked_in" -> GuestUpdate.Stay.Status.CHECKED_IN;
            case "guest.checked_out" -> GuestUpdate.Stay.Status.CHECKED_OUT;
            default -> throw new GuestEvent.Unusable("unknown booking event type; expected reservation.confirmed, reservation.modified, "
                    + "reservation.cancelled, guest.checked_in or guest.checked_out");
        };
        List<Observation> observations = new ArrayList<>();
        guest.text("firstName", "first_name").ifPresent(v -> observations.add(obs(GuestField.FIRST_NAME, v, SourceSystem.BOOKING, at)));
        guest.text("lastName", "last_name").ifPresent(v -> observations.add(obs(GuestField.LAST_NAME, v, SourceSystem.BOOKING, at)));
        rawPhone.ifPresent(v -> observations.add(phone(v, SourceSystem.BOOKING, at)));

        List<GuestEvent.ConsentClaim> consents = new ArrayList<>();
        Optional<JsonValue> claims = event.raw("consent");
        if (claims.isPresent() && claims.get() instanceof JsonArray array) {
            for (JsonValue value : array) {
                if (!(value instanceof JsonObject object)) {
                    throw new GuestEvent.Unusable("every element of 'consent' must be an object");
                }
                consents.add(consentClaim(new LenientJson(object), Map.of("booking", origin.sourceId(), "reservation", reservationId)));
            }
        }
        String dedup = digest("delivery", origin.sourceId(), origin.deliveryId() != null ? origin.deliveryId() : "inbox:" + origin.inboxId());
        GuestUpdate.Stay stay = new GuestUpdate.Stay(origin.sourceId(), reservationId, status, arrival.orElse(null), departure, zone, at);
        return new GuestEvent(dedup, SourceSystem.BOOKING, at, email, withinLimits(observations), Optional.empty(), Optional.empty(),
                Optional.of(new GuestEvent.StaySeen(stay)), consents);
    }

    private static GuestEvent.ConsentClaim consentClaim(LenientJson claim, Map<String, String> evidence) throws GuestEvent.Unusable {
        String purpose = claim.text("purpose").orElseThrow(() -> new GuestEvent.Unusable("a consent element has no purpose"));
        if (!ConsentRecord.isPurpose(purpose)) {
            throw new GuestEvent.Unusable("consent purpose must be marketing_email, marketing_sms, analytics, profiling, terms or sponsor:<id>");
        }
        ConsentDecision decision;
        try {
            decision = ConsentDecision.valueOf(claim.text("decision").orElse("").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new GuestEvent.Unusable("consent decision must be GRANTED, DENIED or WITHDRAWN");
        }
        if (decision == ConsentDecision.INVALID) {
            throw new GuestEvent.Unusable("a source cannot send INVALID; send GRANTED with preTicked or bundled true");
        }
        return new GuestEvent.ConsentClaim(purpose, decision, claim.text("wordingId").orElse(null), claim.text("wordingVersion").orElse(null),
                claim.bool("preTicked").orElse(false), claim.bool("bundled").orElse(false), evidence);
    }

    // ---------------------------------------------------------------- values

    private static LenientJson empty() {
        return new LenientJson(JsonValue.EMPTY_JSON_OBJECT);
    }

    private static Observation obs(GuestField field, String value, SourceSystem source, Instant at) {
        return new Observation(field, value, source, at);
    }

    /**
     * The longest value a guest field may have. No name, venue or zone comes near it; a longer value is a
     * sender's bug or an attack, and shortening it would store something the guest never said. The event is
     * refused as a whole (and so kept in quarantine, where it can be corrected and replayed), never cut.
     */
    static final int MAX_VALUE_LENGTH = 500;
    /** The width of a stay's reservation reference in the database. */
    static final int MAX_RESERVATION_ID_LENGTH = 100;

    private static List<Observation> withinLimits(List<Observation> observations) throws GuestEvent.Unusable {
        for (Observation o : observations) {
            int length = o.value().codePointCount(0, o.value().length());
            if (length > MAX_VALUE_LENGTH) {
                throw new GuestEvent.Unusable(o.field().name().toLowerCase(Locale.ROOT) + " is " + length
                        + " characters long; the longest value accepted is " + MAX_VALUE_LENGTH);
            }
        }
        return observations;
    }

    static NormalizedEmail email(Optional<String> raw) throws GuestEvent.Unusable {
        if (raw.isEmpty()) {
            throw new GuestEvent.Unusable("the event has no email (guests are keyed by email)");
        }
        try {
            return NormalizedEmail.parse(raw.get());
        } catch (IllegalArgumentException e) {
            throw new GuestEvent.Unusable("the email is not a valid address: " + e.getMessage());
        }
    }

    /**
     * A phone number exactly as the sender gave it. The identity module reads it (E.164, or kept as given
     * and flagged unverified with the reason) in the country of the venue, which is known only once the
     * venue is looked up; a number that cannot be normalised never spoils a login, and is never dropped.
     */
    private static Observation phone(String raw, SourceSystem source, Instant at) {
        return obs(GuestField.PHONE, raw, source, at);
    }

    private static Optional<String> birthDate(Optional<String> raw) {
        try {
            return raw.map(LocalDate::parse).filter(d -> d.getYear() >= 1900 && d.isBefore(LocalDate.now())).map(LocalDate::toString);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> gender(Optional<String> raw) {
        return raw.map(g -> switch (g.trim().toUpperCase(Locale.ROOT)) {
            case "F", "FEMALE", "W", "WOMAN" -> "F";
            case "M", "MALE", "MAN" -> "M";
            default -> "X";
        });
    }

    /**
     * A moment at the source: ISO-8601 with Z or an offset (also Purple's {@code +0000}), epoch seconds, or
     * a local date-time in the given zone. Implausible times (before 2000, more than a day ahead) are refused.
     */
    static Instant time(String raw, ZoneId zone, Origin origin) throws GuestEvent.Unusable {
        Instant instant;
        String text = raw.strip();
        try {
            if (text.matches("\\d{9,11}")) {
                instant = Instant.ofEpochSecond(Long.parseLong(text));
            } else {
                var parsed = OFFSET_WITHOUT_COLON.parseBest(text, OffsetDateTime::from, LocalDateTime::from);
                instant = parsed instanceof OffsetDateTime odt ? odt.toInstant() : ((LocalDateTime) parsed).atZone(zone).toInstant();
            }
        } catch (DateTimeException | NumberFormatException e) {
            throw new GuestEvent.Unusable("a timestamp is not ISO-8601 (e.g. 2025-03-15T14:32:00Z)");
        }
        if (instant.isBefore(EARLIEST)) {
            throw new GuestEvent.Unusable("the event time is before 2000-01-01: not plausible");
        }
        if (instant.isAfter(origin.now().plus(FUTURE_SKEW))) {
            throw new GuestEvent.Unusable("the event time is more than a day in the future: check the sender's clock");
        }
        return instant;
    }

    /**
     * A stay boundary: local to the venue's zone unless it carries an offset. Across a daylight-saving
     * change the zone rules give the right UTC instant; a local time that does not exist (the hour
     * skipped in spring) moves forward by the gap, one that exists twice (autumn) takes the earlier.
     */
    static Instant stayTime(String raw, ZoneId zone, String what) throws GuestEvent.Unusable {
        String text = raw.strip();
        try {
            if (text.length() == 10) {
                return LocalDate.parse(text).atStartOfDay(zone).toInstant();
            }
            var parsed = OFFSET_WITHOUT_COLON.parseBest(text, OffsetDateTime::from, LocalDateTime::from);
            return parsed instanceof OffsetDateTime odt ? odt.toInstant() : ((LocalDateTime) parsed).atZone(zone).toInstant();
        } catch (DateTimeException e) {
            throw new GuestEvent.Unusable("reservation." + what + " is not a date or date-time (e.g. 2026-12-24T15:00)");
        }
    }

    /** The email of an event that could not be read, when it can be found: to tie a quarantine item to its subject. */
    static Optional<NormalizedEmail> emailOf(Source.Kind kind, byte[] body) {
        try {
            LenientJson root = new LenientJson(parseObject(body));
            Optional<String> raw = switch (kind) {
                case PURPLE -> root.object("user").flatMap(u -> u.text("email"));
                case BOOKING -> root.object("guest").flatMap(g -> g.text("email"));
                case GENERIC -> root.text("email");
            };
            return raw.map(NormalizedEmail::parse);
        } catch (GuestEvent.Unusable | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static String digest(String... parts) {
        MessageDigest sha = Digests.sha256();
        for (String part : parts) {
            sha.update(part.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
