package io.guestbridge.consent.internal;

import io.guestbridge.consent.api.Wordings;
import io.guestbridge.identity.api.GuestId;
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

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

import static io.guestbridge.platform.api.Jsonp.JSON;

/**
 * The guest's part of an access export (Art. 15 and 20): the whole consent ledger {@link ConsentErasure}
 * deletes, each decision with the exact text the person was shown (Art. 7(1): we must be able to show
 * what they agreed to, and so can they), and the state in force per purpose, derived by the same rule
 * as everywhere else ({@link ConsentLedgerStore#current}).
 *
 * <p>Keys (times are ISO-8601 UTC instants):
 * <ul>
 *   <li>{@code decisions}: array, in the order the decisions were captured (then recorded), of {@code {sequence, purpose,
 *       purposeDescription, decision, capturedAt, recordedAt, channel, evidence, wording, hash, previousHash}};
 *       {@code decision} is GRANTED, DENIED, WITHDRAWN or INVALID (a consent that was reported but does not count, e.g. a
 *       pre-ticked box); {@code capturedAt} is when the person decided at the source, {@code recordedAt} when we stored it;
 *       {@code channel} is how it was collected (e.g. {@code captive-portal:purple:888/Lobby}); {@code evidence} the facts
 *       about the collection as an object; {@code wording} is {@code {id, version, language, text, contentHash,
 *       publishedAt}} (language, text, hash and publication null if the named wording is not registered) or null when no
 *       wording was named; {@code hash} and {@code previousHash} link the entries into the tamper-evident chain.</li>
 *   <li>{@code currentState}: array of {@code {purpose, decision, permits}}, one per purpose the person ever decided on,
 *       in order of first decision.</li>
 *   <li>{@code chainHead}: the hash of the last entry of the person's chain (null if none).</li>
 * </ul>
 * An empty object when the ledger holds nothing for the guest.
 */
@ApplicationScoped
public class ConsentAccess implements SubjectAccess {

    private final ConsentLedgerStore store = new ConsentLedgerStore();

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Inject
    Wordings wordings;

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public JsonObject export(SubjectErasure.Subject subject) {
        if (subject.guestId() == null) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
        GuestId guest = new GuestId(subject.guestId());
        return Jdbc.inConnection(dataSource, "consent", c -> export(c, store, guest, wordings::find));
    }

    @Override
    public String module() {
        return "consent";
    }

    /** The export on a connection the caller's transaction owns; the texts shown come from the wording registry. */
    static JsonObject export(Connection c, ConsentLedgerStore store, GuestId guest,
                             BiFunction<String, String, Optional<Wordings.Wording>> wordings) throws SQLException {
        JsonArrayBuilder decisions = JSON.createArrayBuilder();
        Set<String> purposes = new LinkedHashSet<>();
        // same order as the ledger's own history; a published wording never changes, so the registry's text is exactly what was shown
        try (PreparedStatement s = c.prepareStatement("SELECT l.seq, l.purpose, p.description, l.decision, l.captured_at, l.recorded_at, "
                + "l.channel, l.evidence, l.wording_id, l.wording_version, l.hash, l.prev_hash "
                + "FROM cns_ledger l LEFT JOIN cns_purpose p ON p.code = l.purpose "
                + "WHERE l.guest_id = ? ORDER BY l.captured_at, l.seq")) {
            s.setString(1, guest.value());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    purposes.add(rs.getString(2));
                    JsonObjectBuilder entry = JSON.createObjectBuilder().add("sequence", rs.getLong(1));
                    add(entry, "purpose", rs.getString(2));
                    add(entry, "purposeDescription", rs.getString(3));
                    add(entry, "decision", rs.getString(4));
                    add(entry, "capturedAt", Jdbc.instant(rs, 5));
                    add(entry, "recordedAt", Jdbc.instant(rs, 6));
                    add(entry, "channel", rs.getString(7));
                    entry.add("evidence", evidence(ConsentLedgerStore.decode(rs.getString(8))));
                    entry.add("wording", wording(rs.getString(9), rs.getString(10), wordings));
                    add(entry, "hash", rs.getString(11));
                    add(entry, "previousHash", rs.getString(12));
                    decisions.add(entry);
                }
            }
        }
        String chainHead = null;
        try (PreparedStatement s = c.prepareStatement("SELECT last_hash FROM cns_chain_head WHERE guest_id = ?")) {
            s.setString(1, guest.value());
            try (ResultSet rs = s.executeQuery()) {
                if (rs.next()) {
                    chainHead = rs.getString(1);
                }
            }
        }
        if (purposes.isEmpty() && chainHead == null) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
        JsonArrayBuilder current = JSON.createArrayBuilder();
        for (String purpose : purposes) {
            store.current(c, guest, purpose).ifPresent(d -> current.add(JSON.createObjectBuilder()
                    .add("purpose", purpose).add("decision", d.name()).add("permits", d.permits())));
        }
        JsonObjectBuilder out = JSON.createObjectBuilder().add("decisions", decisions).add("currentState", current);
        add(out, "chainHead", chainHead);
        return out.build();
    }

    static JsonObjectBuilder evidence(Map<String, String> evidence) {
        JsonObjectBuilder out = JSON.createObjectBuilder();
        evidence.forEach(out::add);
        return out;
    }

    /** The wording a decision names; null when it names none (a denial or withdrawal need not). */
    static JsonValue wording(String id, String version, BiFunction<String, String, Optional<Wordings.Wording>> wordings) {
        if (id == null && version == null) {
            return JsonValue.NULL;
        }
        Optional<Wordings.Wording> published = wordings.apply(id, version);
        JsonObjectBuilder out = JSON.createObjectBuilder();
        add(out, "id", id);
        add(out, "version", version);
        add(out, "language", published.map(Wordings.Wording::language).orElse(null));
        add(out, "text", published.map(Wordings.Wording::text).orElse(null));
        add(out, "contentHash", published.map(Wordings.Wording::contentHash).orElse(null));
        add(out, "publishedAt", published.map(Wordings.Wording::publishedAt).orElse(null));
        return out.build();
    }

    private static void add(JsonObjectBuilder out, String key, Object value) {
        if (value == null) {
            out.addNull(key);
        } else {
            out.add(key, value.toString());
        }
    }
}
