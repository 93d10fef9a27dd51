package io.guestbridge.crmsync.internal.links;

import io.guestbridge.crmsync.internal.connectors.Connectors;
import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.SubjectAccess;
import io.guestbridge.platform.api.SubjectErasure;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.transaction.Transactional;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import javax.sql.DataSource;

import static io.guestbridge.platform.api.Jsonp.JSON;

/**
 * The guest's part of an access export (Art. 15(1)(c): the recipients of the data): the CRM records
 * {@link CrmLinkErasure} forgets, i.e. which CRM received the person's data, under which record id, and
 * since when. What those CRMs hold is theirs to export; this says where to ask.
 *
 * <p>Keys: {@code crmLinks}: array of {@code {connector, crmType, crmId, linkedAt}}, earliest first;
 * {@code connector} is our name for the CRM account, {@code crmType} its kind (HUBSPOT, SALESFORCE, MAILCHIMP, REST;
 * null when the connector is no longer configured), {@code crmId} the CRM's own id of the person's record,
 * {@code linkedAt} (ISO-8601 UTC) when the CRM first confirmed it holds the person. {@code crmSyncs}: array of
 * {@code {connector, syncedAt, visits, staysChangedAt, consentSequence, rectifiedAt}}, one per connector: when it last
 * stored the person, and what was true then that its sync triggers compare with (visits counted, the latest booking
 * event, the ledger number of the marketing consent in force, the latest correction of the profile; null when there
 * was none). An empty object when no CRM received
 * the person's data.
 */
@ApplicationScoped
public class CrmLinkAccess implements SubjectAccess {

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Inject
    Connectors connectors;

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public JsonObject export(SubjectErasure.Subject subject) {
        if (subject.guestId() == null) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
        return Jdbc.inConnection(dataSource, "crmsync", c -> {
            JsonObjectBuilder held = JSON.createObjectBuilder();
            try (PreparedStatement s = c.prepareStatement("SELECT connector, crm_id, linked_at FROM crm_link WHERE guest_id = ? "
                    + "ORDER BY linked_at, connector, crm_id")) {
                s.setString(1, subject.guestId());
                JsonArrayBuilder links = JSON.createArrayBuilder();
                int count = 0;
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        String connector = rs.getString(1);
                        String type = connectors.named(connector).map(settings -> settings.type().name()).orElse(null);
                        links.add(link(connector, type, rs.getString(2), Jdbc.instant(rs, 3)));
                        count++;
                    }
                }
                if (count > 0) {
                    held.add("crmLinks", links);
                }
            }
            try (PreparedStatement s = c.prepareStatement("SELECT connector, synced_at, visits, stays_changed_at, consent_sequence, rectified_at "
                    + "FROM crm_sync_facts WHERE guest_id = ? ORDER BY connector")) {
                s.setString(1, subject.guestId());
                JsonArrayBuilder syncs = JSON.createArrayBuilder();
                int count = 0;
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        Instant stays = Jdbc.instant(rs, 4);
                        long sequence = rs.getLong(5);
                        Long consent = rs.wasNull() ? null : sequence;
                        Instant rectified = Jdbc.instant(rs, 6);
                        syncs.add(sync(rs.getString(1), Jdbc.instant(rs, 2), rs.getInt(3),
                                stays, consent, rectified));
                        count++;
                    }
                }
                if (count > 0) {
                    held.add("crmSyncs", syncs);
                }
            }
            JsonObject all = held.build();
            return all.isEmpty() ? JsonValue.EMPTY_JSON_OBJECT : all;
        });
    }

    @Override
    public String module() {
        return "crmsync";
    }

    static JsonObjectBuilder sync(String connector, Instant syncedAt, int visits, Instant staysChangedAt, Long consentSequence, Instant rectifiedAt) {
        JsonObjectBuilder sync = JSON.createObjectBuilder().add("connector", connector).add("syncedAt", syncedAt.toString()).add("visits", visits);
        if (staysChangedAt == null) {
            sync.addNull("staysChangedAt");
        } else {
            sync.add("staysChangedAt", staysChangedAt.toString());
        }
        if (consentSequence == null) {
            sync.addNull("consentSequence");
        } else {
            sync.add("consentSequence", consentSequence);
        }
        if (rectifiedAt == null) {
            sync.addNull("rectifiedAt");
        } else {
            sync.add("rectifiedAt", rectifiedAt.toString());
        }
        return sync;
    }

    static JsonObjectBuilder link(String connector, String crmType, String crmId, Instant linkedAt) {
        JsonObjectBuilder link = JSON.createObjectBuilder().add("connector", connector);
        if (crmType == null) {
            link.addNull("crmType");
        } else {
            link.add("crmType", crmType);
        }
        return link.add("crmId", crmId).add("linkedAt", linkedAt.toString());
    }
}
