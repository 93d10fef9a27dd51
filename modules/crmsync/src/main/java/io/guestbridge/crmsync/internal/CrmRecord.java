package io.guestbridge.crmsync.internal;

import io.guestbridge.identity.api.GuestId;
import io.guestbridge.platform.api.WorkItem;

import java.util.Map;

/**
 * One contact to write to a CRM: the guest, the email it is upserted by, and the CRM properties to send
 * (already mapped and filtered by field ownership). Values are personal data: never logged.
 */
record CrmRecord(WorkItem item, GuestId guest, String email, Map<String, String> properties, boolean create) {

    @Override
    public String toString() {
        return "CrmRecord[" + guest.subjectRef() + ", " + properties.size() + " properties, values redacted]";
    }
}
