package io.guestbridge.identity.internal;

import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditTrail;
import io.guestbridge.identity.api.Branding;
import io.guestbridge.identity.api.Country;
import io.guestbridge.identity.api.Venues;
import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.ProblemException;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static io.guestbridge.platform.api.Jdbc.utc;

/**
 * The venue registry on the database. Venues appear the first time a source reports one (with the
 * source's time zone) and operators correct their zone and portal wordings. Lookups by ref are cached
 * briefly: every processed event asks.
 */
@ApplicationScoped
public class ContainerVenues implements Venues {

    private static final long CACHE_MILLIS = 30_000;

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Inject
    AuditTrail trail;

    private record Cached(Venue venue, long until) {
    }

    private final Map<String, Cached> byRef = new ConcurrentHashMap<>();

    @Override
    @Transactional
    public Venue ensure(String ref, String name, ZoneId zone) {
        Cached cached = byRef.get(ref);
        if (cached != null && cached.until() > System.currentTimeMillis()) {
            return cached.venue();
        }
        return Jdbc.inConnection(dataSource, "identity", c -> {
            Optional<Venue> found = select(c, "ref", ref);
            if (found.isPresent()) {
                // cached only once read back as committed by someone: a venue inserted by a transaction
                // that later rolls back must not outlive it here
                byRef.put(ref, new Cached(found.get(), System.currentTimeMillis() + CACHE_MILLIS));
                return found.get();
            }
            try (PreparedStatement s = c.prepareStatement("INSERT IGNORE INTO idn_venue (id, ref, name, time_zone, created_at, updated_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?)")) {
                s.setString(1, UUID.randomUUID().toString());
                s.setString(2, ref);
                s.setString(3, name == null || name.isBlank() ? ref : name.length() > 200 ? name.substring(0, 200) : name);
                s.setString(4, zone.getId());
                s.setObject(5, utc(Instant.now()));
                s.setObject(6, utc(Instant.now()));
                s.executeUpdate();
            }
            return select(c, "ref", ref).orElseThrow(() -> new SQLException("venue " + ref + " neither inserted nor found"));
        });
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Venue> find(String id) {
        return Jdbc.inConnection(dataSource, "identity", c -> select(c, "id", id));
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Venue> all() {
        return Jdbc.inConnection(dataSource, "identity", c -> {
            List<Venue> venues = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(SELECT + " ORDER BY name, id"); ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    venues.add(venue(rs));
                }
            }
            return venues;
        });
    }

    @Override
    @Transactional
    public Venue update(String id, VenueChange change, String actor) {
        Venue current = find(id).orElseThrow(() -> ProblemException.notFound("There is no venue " + id + "."));
        Venue next = new Venue(id, current.ref(), change.name() != null ? change.name() : current.name(),
                change.zone() != null ? change.zone() : current.zone(), change.terms() != null ? change.terms() : current.terms(),
                change.marketing() != null ? change.marketing() : current.marketing(),
                change.country() != null ? change.country().map(Country::code).orElse(null) : current.country(),
                change.branding() != null ? change.branding() : current.branding());
        Branding branding = next.branding() == null ? Branding.NONE : next.branding();
        Jdbc.inConnection(dataSource, "identity", c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE idn_venue SET name = ?, time_zone = ?, terms_wording_id = ?, "
                    + "terms_wording_version = ?, marketing_wording_id = ?, marketing_wording_version = ?, country = ?, updated_at = ?, "
                    + "brand_logo_path = ?, brand_header_colour = ?, brand_action_colour = ?, privacy_notice_url = ? WHERE id = ?")) {
                s.setString(1, next.name());
                s.setString(2, next.zone().getId());
                s.setString(3, next.terms() == null ? null : next.terms().id());
                s.setString(4, next.terms() == null ? null : next.terms().version());
                s.setString(5, next.marketing() == null ? null : next.marketing().id());
                s.setString(6, next.marketing() == null ? null : next.marketing().version());
                s.setString(7, next.country());
                s.setObject(8, utc(Instant.now()));
                s.setString(9, branding.logoPath());
                s.setString(10, branding.headerColour());
                s.setString(11, branding.actionColour());
                s.setString(12, branding.privacyNoticeUrl());
                s.setString(13, id);
                return s.executeUpdate();
            }
        });
        trail.record(AuditEvent.of("identity", "VENUE_CHANGED").by(actor).about("venue:" + id).with("zone", next.zone().getId())
                .with("country", next.country() == null ? "of the zone" : next.country())
                .with("termsWording", next.terms() == null ? "none" : next.terms().id() + "@" + next.terms().version())
                .with("marketingWording", next.marketing() == null ? "none" : next.marketing().id() + "@" + next.marketing().version())
                .with("branding", branding.equals(Branding.NONE) ? "default" : "own")
                .build());
        byRef.remove(current.ref());
        return next;
    }

    private static final String SELECT = "SELECT id, ref, name, time_zone, terms_wording_id, terms_wording_version, marketing_wording_id, "
            + "marketing_wording_version, country, brand_logo_path, brand_header_colour, brand_action_colour, privacy_notice_url FROM idn_venue";

    private static Optional<Venue> select(Connection c, String column, String value) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(SELECT + " WHERE " + column + " = ?")) {
            s.setString(1, value);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(venue(rs)) : Optional.empty();
            }
        }
    }

    private static Venue venue(ResultSet rs) throws SQLException {
        return new Venue(rs.getString(1), rs.getString(2), rs.getString(3), ZoneId.of(rs.getString(4)),
                rs.getString(5) == null ? null : new Wording(rs.getString(5), rs.getString(6)),
                rs.getString(7) == null ? null : new Wording(rs.getString(7), rs.getString(8)), rs.getString(9),
                new Branding(rs.getString(10), rs.getString(11), rs.getString(12), rs.getString(13)));
    }
}
