package io.guestbridge.crmsync.internal.sponsors;

import io.guestbridge.crmsync.api.Sponsors;
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

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;

import static io.guestbridge.platform.api.Jsonp.JSON;

/**
 * The guest's part of an access export (Art. 15(1)(c): the recipients of the data): the sponsors that received the
 * person's data, under which agreement, since when, and until when and why it stopped — what {@link SponsorShareErasure}
 * forgets.
 *
 * <p>Keys: {@code sponsorShares}: array of {@code {sponsor, sponsorName, agreementRef, firstSharedAt, lastSharedAt,
 * stoppedAt, stopReason}}, earliest first; {@code sponsorName} and {@code agreementRef} null when the sponsor is no longer
 * registered, {@code stoppedAt} and {@code stopReason} (CONSENT_NOT_IN_FORCE, AGREEMENT_NOT_IN_FORCE) null while the
 * sponsor still receives the person's data; times ISO-8601 UTC. An empty object when no sponsor received it.
 */
@ApplicationScoped
public class SponsorShareAccess implements SubjectAccess {

    static final String PART = "sponsors";

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Inject
    SponsorRegistry registry;

    private final SponsorShares shares = new SponsorShares();

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public JsonObject export(SubjectErasure.Subject subject) {
        if (subject.guestId() == null) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
        List<SponsorShares.Share> held = Jdbc.inConnection(dataSource, "sponsor shares", c -> shares.ofGuest(c, subject.guestId()));
        if (held.isEmpty()) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
        Map<String, Sponsors.Recipient> sponsors = registry.recipients().stream().collect(Collectors.toMap(Sponsors.Recipient::id, Function.identity()));
        JsonArrayBuilder array = JSON.createArrayBuilder();
        for (SponsorShares.Share share : held) {
            Sponsors.Recipient sponsor = sponsors.get(share.sponsorId());
            JsonObjectBuilder o = JSON.createObjectBuilder().add("sponsor", share.sponsorId());
            nullable(o, "sponsorName", sponsor == null ? null : sponsor.name());
            nullable(o, "agreementRef", sponsor == null ? null : sponsor.agreementRef());
            o.add("firstSharedAt", share.firstSharedAt().toString()).add("lastSharedAt", share.lastSharedAt().toString());
            nullable(o, "stoppedAt", share.stoppedAt() == null ? null : share.stoppedAt().toString());
            nullable(o, "stopReason", share.stopReason());
            array.add(o);
        }
        return JSON.createObjectBuilder().add("sponsorShares", array).build();
    }

    private static void nullable(JsonObjectBuilder o, String key, String value) {
        if (value == null) {
            o.addNull(key);
        } else {
            o.add(key, value);
        }
    }

    @Override
    public String module() {
        return PART;
    }
}
