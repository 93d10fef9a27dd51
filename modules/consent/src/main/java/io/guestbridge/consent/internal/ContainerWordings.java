package io.guestbridge.consent.internal;

import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditTrail;
import io.guestbridge.consent.api.ConsentRecord;
import io.guestbridge.consent.api.Wordings;
import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import io.guestbridge.platform.api.Digests;

/** The wording registry on cns_wording. Wordings never change once published, so lookups are cached for good. */
@ApplicationScoped
public class ContainerWordings implements Wordings {

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Inject
    AuditTrail trail;

    private final Map<String, Wording> cache = new ConcurrentHashMap<>();

    @Override
    @Transactional
    public Wording publish(Wording wording, String actor) {
        if (!ConsentRecord.isPurpose(wording.purpose())) {
            throw new IllegalArgumentException("purpose must be marketing_email, marketing_sms, analytics, profiling, terms or sponsor:<id>");
        }
        String hash = sha256(wording.text());
        Optional<Wording> existing = find(wording.id(), wording.version());
        if (existing.isPresent()) {
            if (existing.get().contentHash().equals(hash) && existing.get().purpose().equals(wording.purpose())
                    && existing.get().language().equals(wording.language())) {
                return existing.get();
            }
            throw new Immutable("wording " + wording.id() + " version " + wording.version()
                    + " is published with another text, purpose or language; publish the change as a new version");
        }
        Instant now = Instant.now();
        Jdbc.inConnection(dataSource, "consent", c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO cns_wording (id, version, purpose, language, text, content_hash, created_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                s.setString(1, wording.id());
                s.setString(2, wording.version());
                s.setString(3, wording.purpose());
                s.setString(4, wording.language());
                s.setString(5, wording.text());
                s.setString(6, hash);
                s.setObject(7, LocalDateTime.ofInstant(now, ZoneOffset.UTC));
                return s.executeUpdate();
            }
        });
        trail.record(AuditEvent.of("consent", "WORDING_PUBLISHED").by(actor).about("wording:" + wording.id() + ":" + wording.version())
                .with("purpose", wording.purpose()).with("language", wording.language()).with("contentHash", hash).build());
        return new Wording(wording.id(), wording.version(), wording.purpose(), wording.language(), wording.text(), hash, now);
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Wording> find(String id, String version) {
        if (id == null || version == null) {
            return Optional.empty();
        }
        String key = id + "@" + version;
        Wording cached = cache.get(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<Wording> found = Jdbc.inConnection(dataSource, "consent", c -> {
            try (PreparedStatement s = c.prepareStatement(SELECT + " WHERE id = ? AND version = ?")) {
                s.setString(1, id);
                s.setString(2, version);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(wording(rs)) : Optional.<Wording>empty();
                }
            }
        });
        found.ifPresent(w -> cache.put(key, w)); // immutable once published: safe to keep
        return found;
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Wording> all() {
        return Jdbc.inConnection(dataSource, "consent", c -> {
            List<Wording> all = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(SELECT + " ORDER BY id, created_at"); ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    all.add(wording(rs));
                }
            }
            return all;
        });
    }

    private static final String SELECT = "SELECT id, version, purpose, language, text, content_hash, created_at FROM cns_wording";

    private static Wording wording(ResultSet rs) throws SQLException {
        return new Wording(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                rs.getObject(7, LocalDateTime.class).toInstant(ZoneOffset.UTC));
    }

    static String sha256(String text) {
        return Digests.sha256Hex(text);
    }
}
