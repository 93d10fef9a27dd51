package io.guestbridge.crmsync.internal.connectors;

import io.guestbridge.identity.api.GuestId;
import io.guestbridge.platform.api.Redaction;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One contact to write to a CRM: the guest, the email it is upserted by, and the CRM properties to send
 * (already mapped and filtered by field ownership). Values are personal data: never logged.
 */
public record CrmRecord(GuestId guest, String email, Map<String, String> properties, boolean create) {

    /**
     * A CRM's message without this record's values: CRMs echo them (Salesforce's "invalid email address: …"),
     * and a name cannot be recognised by its shape, so the record's own values are removed as well.
     */
    public String redactFrom(String message) {
        String out = message;
        List<String> values = new ArrayList<>(properties.values());
        values.add(email);
        values.sort((a, b) -> Integer.compare(b.length(), a.length()));
        for (String value : values) {
            if (value != null && value.length() >= 2) {
                out = Pattern.compile(Pattern.quote(value), Pattern.CASE_INSENSITIVE).matcher(out).replaceAll("<redacted>");
            }
        }
        return Redaction.redact(out);
    }

    @Override
    public String toString() {
        return "CrmRecord[" + guest.subjectRef() + ", " + properties.size() + " properties, values redacted]";
    }
}
