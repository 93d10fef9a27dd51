package io.guestbridge.identity.api;

import java.util.EnumMap;
import java.util.Map;

/**
 * Which system is the source of truth for each field: the per-field policy of the architecture, read
 * from configuration ({@code identity.field.<field>.master=crm|wifi}) over the defaults of
 * {@link GuestField}.
 *
 * <p>The rules it implies (and {@code GuestProfile} applies):
 * <ol>
 *   <li>A value from an <em>owning</em> source (the field's master system, or a rectification by the
 *       guest or an operator) always beats a value from a non-owning source, whatever their times:
 *       a WiFi login never overwrites a phone number the CRM holds, a CRM value never overwrites the
 *       WiFi's last venue.</li>
 *   <li>A non-owning source may fill a field nobody owning has set (the first name typed on the portal
 *       fills an empty CRM field), and the latest such value is kept until an owning value arrives.</li>
 *   <li>Between values of the same rank, the one observed later at its source wins; a value observed
 *       earlier than the stored one never replaces it. Equal times are settled by source, then by the
 *       value itself, so the result never depends on arrival order.</li>
 * </ol>
 * Rectification counts as owning for every field: the guest's correction stands until the master
 * system reports a newer value.
 */
public final class FieldOwnership {

    /** The system that owns a field. */
    public enum Master { CRM, WIFI }

    private final Map<GuestField, Master> masters;

    private FieldOwnership(Map<GuestField, Master> masters) {
        this.masters = masters;
    }

    public static FieldOwnership defaults() {
        Map<GuestField, Master> masters = new EnumMap<>(GuestField.class);
        for (GuestField field : GuestField.values()) {
            masters.put(field, field.defaultMaster());
        }
        return new FieldOwnership(masters);
    }

    /** The defaults with some fields given to another master. */
    public FieldOwnership with(GuestField field, Master master) {
        Map<GuestField, Master> copy = new EnumMap<>(masters);
        copy.put(field, master);
        return new FieldOwnership(copy);
    }

    public Master masterOf(GuestField field) {
        return masters.get(field);
    }

    /** Whether this source's values outrank non-owning ones for the field. */
    public boolean owns(SourceSystem source, GuestField field) {
        if (source.isRectification()) {
            return true;
        }
        return switch (masters.get(field)) {
            case CRM -> source == SourceSystem.CRM;
            case WIFI -> source == SourceSystem.WIFI || source == SourceSystem.BOOKING;
        };
    }
}
