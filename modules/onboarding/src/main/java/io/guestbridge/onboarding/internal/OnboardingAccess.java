package io.guestbridge.onboarding.internal;

import io.guestbridge.identity.api.GuestId;
import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.SubjectAccess;
import io.guestbridge.platform.api.SubjectErasure;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import io.guestbridge.platform.api.Jsonp;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.time.Instant;
import java.util.List;

/**
 * The guest's part of an access export: the WiFi credentials {@link OnboardingErasure} deletes.
 *
 * <p>Keys: {@code wifiCredentials}: array of {@code {id, venueId, kind, username, validFrom, validUntil, state,
 * revokedReason, deliveredAt}}, latest first (ISO-8601 UTC; null where not applicable). The passphrase is not
 * exported: it is an access secret to a network, not information about the person, and an export travels
 * further than the mail that delivered it.
 */
@ApplicationScoped
public class OnboardingAccess implements SubjectAccess {

    private final OnboardingStore store = new OnboardingStore();

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public JsonObject export(SubjectErasure.Subject subject) {
        if (subject.guestId() == null) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
        List<StoredCredential> held = Jdbc.inConnection(dataSource, "onboarding", c -> store.ofGuest(c, new GuestId(subject.guestId())));
        if (held.isEmpty()) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
        JsonArrayBuilder credentials = Jsonp.JSON.createArrayBuilder();
        for (StoredCredential c : held) {
            JsonObjectBuilder one = Jsonp.JSON.createObjectBuilder().add("id", c.id()).add("venueId", c.venueId()).add("kind", c.kind().name())
                    .add("username", c.username()).add("validFrom", c.window().from().toString())
                    .add("validUntil", c.window().until().toString()).add("state", c.state().name());
            text(one, "revokedReason", c.revokedReason());
            text(one, "deliveredAt", c.deliveredAt());
            credentials.add(one);
        }
        return Jsonp.JSON.createObjectBuilder().add("wifiCredentials", credentials).build();
    }

    private static void text(JsonObjectBuilder object, String key, Object value) {
        if (value == null) {
            object.addNull(key);
        } else {
            object.add(key, value instanceof Instant instant ? instant.toString() : value.toString());
        }
    }

    @Override
    public String module() {
        return "onboarding";
    }
}
