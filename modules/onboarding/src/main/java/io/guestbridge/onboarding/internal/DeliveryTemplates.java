package io.guestbridge.onboarding.internal;

import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditTrail;
import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import javax.sql.DataSource;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.guestbridge.platform.api.Jdbc.utc;

/**
 * The venues' own words for credential messages ({@code onb_delivery_template}), set and removed by operators and
 * audited by ids (venue, channel, language: the words themselves are in the table, not in the trail). The words are
 * the venue's, never a guest's: erasure has nothing to do here.
 */
@ApplicationScoped
public class DeliveryTemplates {

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Inject
    AuditTrail trail;

    @Transactional(TxType.SUPPORTS)
    public List<DeliveryTemplate> of(String venueId) {
        return Jdbc.inConnection(dataSource, "onboarding", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT channel, language, subject, body FROM onb_delivery_template WHERE venue_id = ? "
                    + "ORDER BY channel, language")) {
                s.setString(1, venueId);
                List<DeliveryTemplate> found = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        found.add(new DeliveryTemplate(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                    }
                }
                return found;
            }
        });
    }

    /** The venue's words for this channel and language, if it set any. */
    @Transactional(TxType.SUPPORTS)
    public Optional<DeliveryTemplate> find(String venueId, String channel, String language) {
        return of(venueId).stream().filter(t -> t.channel().equals(channel) && t.language().equals(language)).findFirst();
    }

    /** Stores the venue's words for the template's channel and language, replacing any; audited. The caller has checked them. */
    @Transactional(TxType.MANDATORY)
    public DeliveryTemplate set(String venueId, DeliveryTemplate template, String actor) {
        boolean replaced = Jdbc.inConnection(dataSource, "onboarding", c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE onb_delivery_template SET subject = ?, body = ?, updated_at = ? "
                    + "WHERE venue_id = ? AND channel = ? AND language = ?")) {
                s.setString(1, template.subject());
                s.setString(2, template.body());
                s.setObject(3, utc(Instant.now()));
                s.setString(4, venueId);
                s.setString(5, template.channel());
                s.setString(6, template.language());
                if (s.executeUpdate() == 1) {
                    return true;
                }
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO onb_delivery_template (venue_id, channel, language, subject, body, updated_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?)")) {
                s.setString(1, venueId);
                s.setString(2, template.channel());
                s.setString(3, template.language());
                s.setString(4, template.subject());
                s.setString(5, template.body());
                s.setObject(6, utc(Instant.now()));
                s.executeUpdate();
                return false;
            }
        });
        trail.record(AuditEvent.of("onboarding", "WIFI_DELIVERY_TEMPLATE_SET").by(actor).about("venue:" + venueId)
                .with("channel", template.channel()).with("language", template.language()).with("replaced", replaced).build());
        return template;
    }

    /** Removes the venue's words for this channel and language (the built-in ones apply again); false when it had none. Audited. */
    @Transactional(TxType.MANDATORY)
    public boolean remove(String venueId, String channel, String language, String actor) {
        int removed = Jdbc.update(dataSource, "onboarding", "DELETE FROM onb_delivery_template WHERE venue_id = ? AND channel = ? AND language = ?",
                venueId, channel, language);
        if (removed == 0) {
            return false;
        }
        trail.record(AuditEvent.of("onboarding", "WIFI_DELIVERY_TEMPLATE_REMOVED").by(actor).about("venue:" + venueId)
                .with("channel", channel).with("language", language).build());
        return true;
    }
}
