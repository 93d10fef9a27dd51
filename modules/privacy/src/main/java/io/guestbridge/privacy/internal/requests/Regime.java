package io.guestbridge.privacy.internal.requests;

import io.guestbridge.platform.api.ProblemException;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The privacy law a request is answered under: which rights it has, how long the answer may take and how that time may
 * be extended. Periods are counted in calendar terms in the law's own place and kept as instants, so a change of
 * daylight saving time neither shortens nor lengthens them.
 */
public enum Regime {
    /** Art. 12(3) GDPR: one month from receipt, extendable once by up to two further months, the subject told why within the first month. */
    GDPR("GDPR", ZoneOffset.UTC, Map.of(RequestType.ERASURE, "Art. 17 GDPR", RequestType.ACCESS, "Art. 15, 20 GDPR",
            RequestType.RECTIFICATION, "Art. 16 GDPR", RequestType.OBJECTION, "Art. 21 GDPR"), "Art. 12(3) GDPR"),
    /** The UK GDPR keeps Art. 12(3)'s clock: one month, extendable by up to two further months. */
    UK_GDPR("UK GDPR", ZoneOffset.UTC, Map.of(RequestType.ERASURE, "Art. 17 UK GDPR", RequestType.ACCESS, "Art. 15, 20 UK GDPR",
            RequestType.RECTIFICATION, "Art. 16 UK GDPR", RequestType.OBJECTION, "Art. 21 UK GDPR"), "Art. 12(3) UK GDPR"),
    /**
     * CCPA as amended by the CPRA (Cal. Civ. Code §1798.130(a)(2)): 45 days from receipt to know, delete or correct,
     * extendable once by 45 more days with notice within the first 45; days are California's.
     */
    CCPA("CCPA/CPRA", ZoneId.of("America/Los_Angeles"), Map.of(RequestType.ACCESS, "Cal. Civ. Code §1798.110 (right to know)",
            RequestType.ERASURE, "Cal. Civ. Code §1798.105 (right to delete)", RequestType.RECTIFICATION, "Cal. Civ. Code §1798.106 (right to correct)",
            RequestType.OPT_OUT, "Cal. Civ. Code §1798.120 (right to opt out of sale or sharing)"), "Cal. Civ. Code §1798.130(a)(2)");

    /** CCPA: the first period and its one extension. */
    public static final int CCPA_DAYS = 45;

    /**
     * Cal. Code Regs. tit. 11, §7026(f)(1): a request to opt out of sale or sharing is complied with as soon as feasibly
     * possible and no later than 15 business days from receipt; the regulations allow it no extension. Business days are
     * Monday to Friday in California; public holidays are not skipped, so the date is never later than the law's.
     */
    static final int OPT_OUT_BUSINESS_DAYS = 15;

    public final String label;
    public final ZoneId zone;
    private final Map<RequestType, String> rights;
    /** The provision that allows the extension, named in the subject's notice. */
    public final String extensionProvision;

    Regime(String label, ZoneId zone, Map<RequestType, String> rights, String extensionProvision) {
        this.label = label;
        this.zone = zone;
        this.rights = rights;
        this.extensionProvision = extensionProvision;
    }

    public Set<RequestType> types() {
        return rights.isEmpty() ? Set.of() : EnumSet.copyOf(rights.keySet());
    }

    /** The provision that gives the right ("Art. 17 GDPR"). */
    public String provision(RequestType type) {
        return rights.get(type);
    }

    /** Refuses a type this law does not have, naming the ones it has. */
    public void require(RequestType type) {
        if (!rights.containsKey(type)) {
            throw ProblemException.invalid("A " + label + " request is " + allowed() + "; " + type + " is not one of them.");
        }
    }

    public String allowed() {
        return Arrays.stream(RequestType.values()).filter(rights::containsKey)
                .map(t -> this == CCPA ? t.name() + " (" + t.ccpaName + ")" : t.name()).collect(Collectors.joining(", "));
    }

    /** When the answer is due, counted from receipt. */
    Instant due(RequestType type, Instant received) {
        ZonedDateTime start = received.atZone(zone);
        if (this == CCPA) {
            return type == RequestType.OPT_OUT ? plusBusinessDays(start, OPT_OUT_BUSINESS_DAYS).toInstant() : start.plusDays(CCPA_DAYS).toInstant();
        }
        return start.plusMonths(1).toInstant();
    }

    /**
     * The due date after the one extension this law allows: {@code months} (GDPR, UK GDPR: 1 or 2) or {@code days} (CCPA: 45)
     * added to the original due date. The checks that the request is open, not yet extended and still in its first period
     * are the request's.
     */
    Instant extendedDue(RequestType type, Instant originalDue, Integer months, Integer days) {
        if (this == CCPA) {
            if (type == RequestType.OPT_OUT) {
                throw ProblemException.conflict("An opt-out of sale or sharing is complied with within " + OPT_OUT_BUSINESS_DAYS
                        + " business days; the CCPA regulations allow it no extension.");
            }
            if (months != null || (days != null && days != CCPA_DAYS)) {
                throw ProblemException.invalid("A CCPA/CPRA request is extended once by " + CCPA_DAYS + " days: send days " + CCPA_DAYS
                        + " (or no period) and the reason, without months.");
            }
            return originalDue.atZone(zone).plusDays(CCPA_DAYS).toInstant();
        }
        if (days != null || months == null || months < 1 || months > 2) {
            throw ProblemException.invalid("A " + label + " request is extended by months 1 or 2 (" + extensionProvision
                    + " allows up to two further months), without days.");
        }
        return originalDue.atZone(zone).plusMonths(months).toInstant();
    }

    /** The provision under which the recipients of erased data are told of the erasure (ASCII: it goes into a 7-bit mail). */
    public String recipientProvision() {
        return switch (this) {
            case GDPR -> "Art. 19 GDPR";
            case UK_GDPR -> "Art. 19 UK GDPR";
            case CCPA -> "Cal. Civ. Code section 1798.105(c)(1)";
        };
    }

    public static Regime parse(String value) {
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT).replace(' ', '_').replace("/CPRA", "").replace("CPRA", "CCPA"));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ProblemException.invalid("regime must be one of " + Arrays.toString(values()) + " (CPRA requests are CCPA).");
        }
    }

    private static ZonedDateTime plusBusinessDays(ZonedDateTime start, int days) {
        ZonedDateTime at = start;
        for (int counted = 0; counted < days; ) {
            at = at.plusDays(1);
            if (at.getDayOfWeek() != DayOfWeek.SATURDAY && at.getDayOfWeek() != DayOfWeek.SUNDAY) {
                counted++;
            }
        }
        return at;
    }
}
