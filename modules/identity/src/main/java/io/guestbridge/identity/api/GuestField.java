package io.guestbridge.identity.api;

/**
 * The fields of a guest profile and who is their source of truth by default (identity data is
 * CRM-master, behavioural data is WiFi-master: staff correct a name in the CRM, the WiFi knows the visits). The policy is configuration; see
 * {@link FieldOwnership}. Visit counts, dwell totals and first/last seen are not fields: they are
 * derived from recorded visits, so a replayed or late event cannot double count.
 */
public enum GuestField {
    EMAIL(FieldOwnership.Master.CRM),
    FIRST_NAME(FieldOwnership.Master.CRM),
    LAST_NAME(FieldOwnership.Master.CRM),
    PHONE(FieldOwnership.Master.CRM),
    BIRTH_DATE(FieldOwnership.Master.CRM),
    GENDER(FieldOwnership.Master.CRM),
    DEVICE_TYPE(FieldOwnership.Master.WIFI),
    OS(FieldOwnership.Master.WIFI),
    LAST_VENUE(FieldOwnership.Master.WIFI),
    LAST_ZONE(FieldOwnership.Master.WIFI),
    LAST_DWELL_MINUTES(FieldOwnership.Master.WIFI);

    private final FieldOwnership.Master defaultMaster;

    GuestField(FieldOwnership.Master defaultMaster) {
        this.defaultMaster = defaultMaster;
    }

    public FieldOwnership.Master defaultMaster() {
        return defaultMaster;
    }
}
