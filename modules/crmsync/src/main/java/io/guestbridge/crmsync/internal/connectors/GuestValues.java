package io.guestbridge.crmsync.internal.connectors;

import io.guestbridge.consent.api.ConsentLedger;
import io.guestbridge.identity.api.GuestDirectory;
import io.guestbridge.identity.api.GuestField;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The vocabulary of values guestbridge hands to a recipient, a CRM's mapping or a sponsor's agreement alike: the guest
 * fields, and values derived from visits and from the consent in force (when it was captured, the wording id and version
 * shown, the channel), so a recipient can see why it may use a contact.
 */
public final class GuestValues {

    /** Profile values besides the guest fields. */
    public static final Set<String> DERIVED = Set.of("VISIT_COUNT", "TOTAL_DWELL_MINUTES", "FIRST_SEEN", "LAST_SEEN",
            "CONSENT_CAPTURED_AT", "CONSENT_WORDING_ID", "CONSENT_WORDING_VERSION", "CONSENT_CHANNEL");

    private GuestValues() {
    }

    /** Every name of the vocabulary: the guest fields in their order, then the derived values. */
    public static Set<String> names() {
        Set<String> names = new LinkedHashSet<>();
        for (GuestField field : GuestField.values()) {
            names.add(field.name());
        }
        names.addAll(new java.util.TreeSet<>(DERIVED));
        return names;
    }

    public static boolean isGuestValue(String name) {
        if (DERIVED.contains(name)) {
            return true;
        }
        try {
            GuestField.valueOf(name);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * A derived value ({@link #DERIVED}) of one guest; null when the guest has none (no visit yet, no consent that
     * moves anything). {@code proof} is the consent row the recipient may see, or null.
     */
    public static String derived(String name, GuestDirectory.VisitSummary visits, ConsentLedger.Entry proof) {
        return switch (name) {
            case "VISIT_COUNT" -> String.valueOf(visits.visits());
            case "TOTAL_DWELL_MINUTES" -> String.valueOf(visits.totalDwellMinutes());
            case "FIRST_SEEN" -> visits.firstSeen() == null ? null : visits.firstSeen().toString();
            case "LAST_SEEN" -> visits.lastSeen() == null ? null : visits.lastSeen().toString();
            case "CONSENT_CAPTURED_AT" -> proof == null ? null : proof.capturedAt().toString();
            case "CONSENT_WORDING_ID" -> proof == null ? null : proof.wordingId();
            case "CONSENT_WORDING_VERSION" -> proof == null ? null : proof.wordingVersion();
            case "CONSENT_CHANNEL" -> proof == null ? null : proof.channel();
            default -> throw new IllegalArgumentException(name + " is not a derived value");
        };
    }
}
