package io.guestbridge.privacy.internal.exports;

import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditTrail;
import io.guestbridge.identity.api.GuestDirectory;
import io.guestbridge.identity.api.GuestId;
import io.guestbridge.identity.api.NormalizedEmail;
import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.Jsonp;
import io.guestbridge.platform.api.SecretBox;
import io.guestbridge.platform.api.SubjectAccess;
import io.guestbridge.platform.api.SubjectErasure;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.Config;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import io.guestbridge.platform.api.Digests;
import io.guestbridge.privacy.internal.datamap.DataMap;
import io.guestbridge.privacy.internal.requests.PrivacyRequest;
import io.guestbridge.privacy.internal.requests.RequestRecords;

/**
 * Access exports (Art. 15 and 20): everything this database holds about the subject — each module's
 * part through {@link SubjectAccess}, the request history — with the Art. 15(1) information from the data
 * map and a readable summary first. The document is sealed under a key derived from the master key and
 * handed out once through an unguessable, expiring link; the token is kept only as its SHA-256, and the
 * document is deleted on download or expiry.
 */
@ApplicationScoped
public class SubjectExports {

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Inject
    GuestDirectory guests;

    @Inject
    @Any
    Instance<SubjectAccess> parts;

    @Inject
    RequestRecords records;

    @Inject
    DataMap dataMap;

    @Inject
    AuditTrail trail;

    @Inject
    Instance<SecretBox> master;

    @Inject
    Config config;

    private final SecureRandom random = new SecureRandom();

    /** Builds and seals the export inside the caller's transaction; returns the step's evidence. */
    public String create(Connection c, PrivacyRequest request, NormalizedEmail email) throws SQLException {
        Optional<GuestId> guest = guests.find(email);
        Map<String, JsonObject> held = held(guest, email);
        JsonObjectBuilder data = Jsonp.JSON.createObjectBuilder();
        held.forEach(data::add);
        JsonObject document = Jsonp.JSON.createObjectBuilder()
                .add("format", "guestbridge subject access export v1")
                .add("generatedAt", Instant.now().toString())
                .add("request", request.id())
                .add("subject", Jsonp.JSON.createObjectBuilder().add("email", email.value())
                        .add("guestId", guest.map(GuestId::value).map(v -> (JsonValue) Jsonp.JSON.createValue(v)).orElse(JsonValue.NULL)))
                .add("summary", summary(held, guest.isPresent()))
                .add("article15", article15())
                .add("data", data)
                .add("requests", requestHistory(c, request.subjectHash()))
                .build();
        String sealed = master.get().seal(document.toString().getBytes(StandardCharsets.UTF_8), "privacy-export:" + request.id());
        try (PreparedStatement s = c.prepareStatement("INSERT INTO prv_export (request_id, content, created_at, expires_at) VALUES (?, ?, ?, ?) "
                + "ON DUPLICATE KEY UPDATE content = VALUES(content), created_at = VALUES(created_at), expires_at = VALUES(expires_at), "
                + "token_hash = NULL, downloaded_at = NULL")) {
            Instant now = Instant.now();
            s.setString(1, request.id());
            s.setString(2, sealed);
            s.setObject(3, Jdbc.utc(now));
            s.setObject(4, Jdbc.utc(now.plus(linkLifetime())));
            s.executeUpdate();
        }
        trail.record(AuditEvent.of("privacy", "ACCESS_EXPORT_CREATED").by("system:privacy").about(RequestRecords.ref(request.id()))
                .with("parts", String.join(",", held.keySet())).build());
        return "export of " + held.size() + " module part(s) sealed, " + document.toString().length() + " characters; link sent with the outcome";
    }

    /** Each module's part of what it holds about the subject, by module name, read inside the caller's transaction. */
    public Map<String, JsonObject> held(Optional<GuestId> guest, NormalizedEmail email) {
        SubjectErasure.Subject subject = new SubjectErasure.Subject(guest.map(GuestId::value).orElse(null), guests.subjectIndex(email));
        Map<String, JsonObject> held = new TreeMap<>();
        for (SubjectAccess part : parts) {
            held.put(part.module(), part.export(subject));
        }
        return held;
    }

    /**
     * A fresh one-time link (any earlier one stops working); null when the export is gone. It opens the privacy
     * center's page for the copy; the same token also works at the JSON endpoint of the subject portal.
     */
    public String issueLink(Connection c, String requestId) throws SQLException {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        try (PreparedStatement s = c.prepareStatement("UPDATE prv_export SET token_hash = ? WHERE request_id = ? AND content IS NOT NULL AND expires_at > ?")) {
            s.setString(1, sha256(token));
            s.setString(2, requestId);
            s.setObject(3, Jdbc.utc(Instant.now()));
            if (s.executeUpdate() != 1) {
                return null;
            }
        }
        trail.record(AuditEvent.of("privacy", "ACCESS_EXPORT_LINK_ISSUED").by("system:privacy").about(RequestRecords.ref(requestId)).build());
        return config.getOptionalValue("privacy.portal.base-url", String.class).orElse("http://localhost:8080").replaceAll("/+$", "")
                + "/privacy/export/" + token;
    }

    /** The staff's way to hand over an export when mail cannot reach the subject: a fresh one-time link. */
    @Transactional
    public Optional<String> issueLink(String requestId, String actor) {
        return Jdbc.inConnection(dataSource, "privacy", c -> {
            String link = issueLink(c, requestId);
            if (link != null) {
                trail.record(AuditEvent.of("privacy", "ACCESS_EXPORT_LINK_HANDED_OVER").by(actor).about(RequestRecords.ref(requestId)).build());
            }
            return Optional.ofNullable(link);
        });
    }

    /** The document, once: the download deletes it. Empty for an unknown, used or expired link (one answer for all three). */
    @Transactional
    public Optional<String> download(String token) {
        if (token == null || token.length() != 43) {
            return Optional.empty();
        }
        return Jdbc.inConnection(dataSource, "privacy", c -> {
            String requestId;
            String sealed;
            try (PreparedStatement s = c.prepareStatement("SELECT request_id, content FROM prv_export WHERE token_hash = ? AND content IS NOT NULL "
                    + "AND expires_at > ? FOR UPDATE")) {
                s.setString(1, sha256(token));
                s.setObject(2, Jdbc.utc(Instant.now()));
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<String>empty();
                    }
                    requestId = rs.getString(1);
                    sealed = rs.getString(2);
                }
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE prv_export SET content = NULL, token_hash = NULL, downloaded_at = ? WHERE request_id = ?")) {
                s.setObject(1, Jdbc.utc(Instant.now()));
                s.setString(2, requestId);
                s.executeUpdate();
            }
            records.event(c, requestId, records.load(requestId, false).orElseThrow().state().name(), "access export downloaded; deleted here");
            trail.record(AuditEvent.of("privacy", "ACCESS_EXPORT_DOWNLOADED").by("subject").about(RequestRecords.ref(requestId)).build());
            return Optional.of(new String(master.get().open(sealed, "privacy-export:" + requestId), StandardCharsets.UTF_8));
        });
    }

    public Duration linkLifetime() {
        return Duration.ofDays(config.getOptionalValue("privacy.export.link-days", Long.class).orElse(7L));
    }

    /** Art. 15(1)(a)-(h), from the data map. */
    private JsonObject article15() {
        Set<String> purposes = new LinkedHashSet<>();
        Set<String> categories = new LinkedHashSet<>();
        JsonArrayBuilder systems = Jsonp.JSON.createArrayBuilder();
        for (DataMap.Entry system : dataMap.systems()) {
            purposes.addAll(system.purposes());
            categories.addAll(system.categories());
            systems.add(Jsonp.JSON.createObjectBuilder().add("system", system.name()).add("categories", strings(system.categories()))
                    .add("purposes", strings(system.purposes())).add("retention", system.retention()).add("recipients", strings(system.recipients())));
        }
        return Jsonp.JSON.createObjectBuilder()
                .add("controller", dataMap.controller())
                .add("purposes", strings(purposes))
                .add("categories", strings(categories))
                .add("recipientsAndRetention", systems)
                .add("source", "collected from you when you logged in to our guest WiFi, from booking and registration systems of our venues, "
                        + "and from imports of those systems' visitor exports (see each value's source in data.identity)")
                .add("rights", "You may ask us to correct (Art. 16) or erase (Art. 17) your data, to restrict its processing (Art. 18), and object "
                        + "to direct marketing at any time (Art. 21); you may complain to a supervisory authority (Art. 77).")
                .add("automatedDecisions", "none: no decision with legal or similarly significant effect is made by automated means (Art. 22)")
                .build();
    }

    private static JsonArray strings(Iterable<String> values) {
        JsonArrayBuilder array = Jsonp.JSON.createArrayBuilder();
        values.forEach(array::add);
        return array.build();
    }

    private static JsonArray summary(Map<String, JsonObject> held, boolean profile) {
        JsonArrayBuilder lines = Jsonp.JSON.createArrayBuilder();
        lines.add(profile ? "We hold a guest profile about you; every part follows below, with where each value came from."
                : "We hold no guest profile about you.");
        held.forEach((module, part) -> part.forEach((key, value) -> {
            if (value.getValueType() == JsonValue.ValueType.ARRAY) {
                lines.add(module + " / " + key + ": " + value.asJsonArray().size() + " entr" + (value.asJsonArray().size() == 1 ? "y" : "ies"));
            }
        }));
        return lines.build();
    }

    private JsonArray requestHistory(Connection c, String subjectHash) throws SQLException {
        JsonArrayBuilder array = Jsonp.JSON.createArrayBuilder();
        for (PrivacyRequest r : records.query("r.subjectHash = ?1", 100, subjectHash)) {
            JsonArrayBuilder history = Jsonp.JSON.createArrayBuilder();
            for (RequestRecords.EventRow e : records.history(c, r.id())) {
                history.add(Jsonp.JSON.createObjectBuilder().add("at", e.at().toString()).add("state", e.state()).add("note", e.note() == null ? "" : e.note()));
            }
            array.add(Jsonp.JSON.createObjectBuilder().add("id", r.id()).add("type", r.type().name()).add("state", r.state().name())
                    .add("receivedAt", r.receivedAt().toString()).add("dueAt", r.dueAt().toString()).add("history", history));
        }
        return array.build();
    }

    static String sha256(String token) {
        return Digests.sha256Hex(token); // base64url: its UTF-8 bytes are its ASCII bytes
    }
}
