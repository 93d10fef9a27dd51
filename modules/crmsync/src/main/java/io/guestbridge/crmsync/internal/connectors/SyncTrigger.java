package io.guestbridge.crmsync.internal.connectors;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What happened to a guest that syncs them to a connector, chosen per connector ({@code crm.<name>.triggers}, or
 * set through the API). Every connector syncs on all four unless told otherwise. Whatever a connector's triggers,
 * a withdrawal of the marketing consent (an objection is one) reaches every connector that may hold the guest, and
 * an erasure every connector: those are promises to the guest, not marketing choices.
 */
public enum SyncTrigger {
    /** The guest's first WiFi login (a guest the connector never received, with a login, counts as one). */
    FIRST_LOGIN,
    /** A visit after the first one: a login on another day or at another venue. */
    RETURN_VISIT,
    /** A booking event: a new reservation, a check-in, a check-out or a cancellation. */
    STAY,
    /** The marketing consent in force changed: granted, declined or withdrawn. */
    CONSENT_CHANGE;

    public static final Set<SyncTrigger> ALL = Set.copyOf(EnumSet.allOf(SyncTrigger.class));

    /** The names a configuration or a request may use. */
    public static String allowed() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }

    /**
     * Reads trigger names (any case, '-' for '_'); an unknown or missing name is an {@link IllegalArgumentException}
     * whose message names it and lists the allowed ones.
     */
    public static Set<SyncTrigger> parse(Collection<String> names) {
        if (names == null || names.isEmpty()) {
            throw new IllegalArgumentException("name at least one trigger of " + allowed());
        }
        EnumSet<SyncTrigger> triggers = EnumSet.noneOf(SyncTrigger.class);
        List<String> unknown = new ArrayList<>();
        for (String name : names) {
            String normal = name == null ? "" : name.strip().toUpperCase(Locale.ROOT).replace('-', '_');
            try {
                triggers.add(valueOf(normal));
            } catch (IllegalArgumentException e) {
                unknown.add(name == null ? "null" : "'" + name.strip() + "'");
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown trigger " + String.join(", ", unknown) + "; the triggers are " + allowed());
        }
        return Set.copyOf(triggers);
    }

    /** The comma-separated form kept in configuration and in the database, in declaration order. */
    public static String joined(Set<SyncTrigger> triggers) {
        return Arrays.stream(values()).filter(triggers::contains).map(Enum::name).collect(Collectors.joining(","));
    }
}
