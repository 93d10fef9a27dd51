package io.guestbridge.consent.api;

import io.guestbridge.identity.api.GuestId;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One decision as a source captured it.
 *
 * @param purpose        {@code marketing_email}, {@code marketing_sms}, {@code analytics}, {@code profiling},
 *                       {@code terms} or {@code sponsor:<id>} (each sponsor needs its own decision)
 * @param wordingId      the wording the guest was shown (with its version); required for a grant
 * @param capturedAt     when the guest decided, at the source
 * @param channel        how: e.g. {@code captive-portal:venue-888/lobby}, {@code booking:pms-1}, {@code subject-portal}
 * @param evidence       facts about how it was collected (checkbox shown unticked, truncated IP…), no direct identifiers
 * @param preTicked      the source reports the box was pre-ticked: recorded as INVALID
 * @param bundled        the source reports the consent was bundled with other terms: recorded as INVALID
 */
public record ConsentRecord(GuestId guest, String purpose, ConsentDecision decision, String wordingId, String wordingVersion,
                            Instant capturedAt, String channel, Map<String, String> evidence, boolean preTicked, boolean bundled) {

    private static final Pattern PURPOSE = Pattern.compile("marketing_email|marketing_sms|analytics|profiling|terms|sponsor:[A-Za-z0-9._-]{1,40}");

    public ConsentRecord {
        Objects.requireNonNull(guest, "guest");
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(capturedAt, "capturedAt");
        if (!isPurpose(purpose)) {
            throw new IllegalArgumentException("purpose must be marketing_email, marketing_sms, analytics, profiling, terms or sponsor:<id>");
        }
        if (channel == null || channel.isBlank() || channel.length() > 200) {
            throw new IllegalArgumentException("channel is required (at most 200 characters)");
        }
        if (decision == ConsentDecision.GRANTED && (wordingId == null || wordingVersion == null)) {
            throw new IllegalArgumentException("a grant must name the wording (id and version) the guest was shown");
        }
        evidence = Map.copyOf(new TreeMap<>(evidence == null ? Map.of() : evidence));
    }

    /** Whether a purpose code is one the ledger knows (for readers that check before they build records). */
    public static boolean isPurpose(String purpose) {
        return purpose != null && PURPOSE.matcher(purpose).matches();
    }

    /** The decision that goes into the ledger: a pre-ticked or bundled grant is INVALID. */
    public ConsentDecision recordedDecision() {
        return decision == ConsentDecision.GRANTED && (preTicked || bundled) ? ConsentDecision.INVALID : decision;
    }
}
