package io.guestbridge.ingestion.internal.inbox;

import io.guestbridge.identity.api.GuestDirectory;
import io.guestbridge.identity.api.GuestId;
import io.guestbridge.platform.api.DataKey;
import io.guestbridge.platform.api.KeyVault;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * Raw bodies at rest. A body is sealed when the inbox writes it (AES-256-GCM), under the key of its day of
 * receipt (UTC), bound to its source and content digest; day keys live in the key vault, apart from the
 * data, and are destroyed when the bodies of their day reach the end of their retention, so an expired
 * body cannot be read from any backup. When processing turns a body into a guest's data, the sealed body is
 * sealed again under that guest's data key (bound to the guest and the inbox row): opening it then needs
 * both keys, so either an erasure of the guest or the end of the retention makes it unreadable everywhere.
 *
 * <p>{@code body_key} says what opens a stored body: {@code day:<date>}, {@code guest+day:<date>}, or nothing
 * (an empty body, or one stored in clear by an earlier version, which {@link BodyRetention} seals).
 */
@ApplicationScoped
public class InboxBodies {

    /** The vault kind of day keys; their ids are ISO dates. */
    public static final String DAY_KIND = "inbox-day";
    private static final String DAY = "day:";
    private static final String GUEST_DAY = "guest+day:";

    @Inject
    KeyVault vault;

    @Inject
    GuestDirectory guests;

    InboxBodies() {
    }

    InboxBodies(KeyVault vault, GuestDirectory guests) {
        this.vault = vault;
        this.guests = guests;
    }

    /** A body as stored, with the name of what opens it. */
    public record Sealed(byte[] body, String keyRef) {
    }

    /** A stored body that can no longer be read: its day key (or its guest's key) was destroyed. */
    public static final class Unreadable extends RuntimeException {
        Unreadable(String message) {
            super(message);
        }
    }

    /** The UTC day of an instant: the day whose key seals what was received then. */
    public static LocalDate day(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC).toLocalDate();
    }

    /** Seals a body under the key of {@code day} (created in the vault when it is the day's first). */
    public Sealed seal(String sourceId, String bodySha256, byte[] body, LocalDate day) {
        DataKey key = vault.obtain(DAY_KIND, day.toString());
        return new Sealed(key.seal(body, dayBinding(sourceId, bodySha256)), DAY + day);
    }

    /** The body in clear; an empty array for an empty body; {@link Unreadable} when a key it needs is gone. */
    public byte[] open(long inboxId, String sourceId, String bodySha256, byte[] stored, String keyRef, String guestId) {
        if (stored == null || stored.length == 0) {
            return new byte[0];
        }
        if (keyRef == null) {
            return stored; // stored in clear by an earlier version, not sealed yet
        }
        byte[] daySealed = stored;
        if (keyRef.startsWith(GUEST_DAY)) {
            if (guestId == null) {
                throw new Unreadable("inbox row " + inboxId + " is sealed under a guest's key but names no guest");
            }
            daySealed = guests.open(new GuestId(guestId), guestLabel(inboxId), stored)
                    .orElseThrow(() -> new Unreadable("the guest of inbox row " + inboxId + " was erased: its raw body can no longer be read"));
        }
        LocalDate day = dayOf(keyRef);
        DataKey key = vault.find(DAY_KIND, day.toString()).orElseThrow(() -> new Unreadable(
                "the raw body of inbox row " + inboxId + " reached the end of its retention (its day key was destroyed)"));
        return key.open(daySealed, dayBinding(sourceId, bodySha256));
    }

    /**
     * A day-sealed body sealed again under the guest's data key, once the row became that guest's data; empty
     * when the guest's key is gone (erased meanwhile: the body should then be dropped).
     */
    public Optional<Sealed> forGuest(long inboxId, GuestId guest, Sealed daySealed) {
        if (!daySealed.keyRef().startsWith(DAY)) {
            throw new IllegalArgumentException("only a day-sealed body is sealed for a guest, not " + daySealed.keyRef());
        }
        return guests.seal(guest, guestLabel(inboxId), daySealed.body())
                .map(sealed -> new Sealed(sealed, GUEST_DAY + dayOf(daySealed.keyRef())));
    }

    /** The day key of a body about to be destroyed: a body the inbox still needs moves to the key of {@code today}. */
    Sealed reseal(long inboxId, String sourceId, String bodySha256, byte[] stored, String keyRef, LocalDate today) {
        return seal(sourceId, bodySha256, open(inboxId, sourceId, bodySha256, stored, keyRef, null), today);
    }

    /** The day whose key a stored body needs. */
    static LocalDate dayOf(String keyRef) {
        String day = keyRef.startsWith(GUEST_DAY) ? keyRef.substring(GUEST_DAY.length()) : keyRef.substring(DAY.length());
        return LocalDate.parse(day);
    }

    static String dayRef(LocalDate day) {
        return DAY + day;
    }

    private static String guestLabel(long inboxId) {
        return "inbox:" + inboxId;
    }

    private static byte[] dayBinding(String sourceId, String bodySha256) {
        return ("inbox-body|" + sourceId + "|" + bodySha256).getBytes(StandardCharsets.UTF_8);
    }
}
