package io.guestbridge.app.it;

import io.guestbridge.identity.api.GuestDirectory;
import io.guestbridge.identity.api.GuestField;
import io.guestbridge.identity.api.GuestId;
import io.guestbridge.identity.api.NormalizedEmail;
import io.guestbridge.identity.api.Observation;
import io.guestbridge.identity.api.SourceSystem;
import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.time.Instant;

/**
 * In the tests' shared WAR ({@link Deployed#sharedWar()}), never in the product; used by {@link GuestsIT}: creates guests through the identity module's
 * front door the way ingestion processing will, so the guest endpoints can be tested in the server.
 */
@Path("it-probe/guests")
@RequestScoped
@PermitAll
public class GuestProbeResource {

    @Inject
    GuestDirectory directory;

    @Inject
    io.guestbridge.consent.api.ConsentLedger ledger;

    @jakarta.annotation.Resource(lookup = io.guestbridge.platform.api.Database.JNDI_NAME)
    javax.sql.DataSource dataSource;

    @jakarta.annotation.Resource
    jakarta.transaction.TransactionSynchronizationRegistry registry;

    @jakarta.persistence.PersistenceContext(unitName = "audit")
    jakarta.persistence.EntityManager em;

    /** How a connection taken inside a transaction looks: it must be enlisted (autocommit off). */
    @Operation(hidden = true)
    @jakarta.ws.rs.GET
    @jakarta.ws.rs.Path("connection")
    @Transactional
    public String connection() throws Exception {
        try (java.sql.Connection c = dataSource.getConnection(); var st = c.createStatement(); var rs = st.executeQuery("SELECT CONNECTION_ID()")) {
            rs.next();
            long jdbc = rs.getLong(1);
            Object jpa = em.createNativeQuery("SELECT CONNECTION_ID()").getSingleResult();
            return "autocommit=" + c.getAutoCommit() + " tx=" + (registry.getTransactionKey() != null) + " same=" + (jdbc == ((Number) jpa).longValue());
        }
    }

    @Operation(hidden = true)
    @POST
    @Transactional
    public String create(@FormParam("email") String email, @FormParam("firstName") String firstName,
                         @FormParam("phone") String phone, @FormParam("source") String source, @FormParam("at") String at,
                         @FormParam("consent") String consent, @FormParam("fail") String fail) {
        SourceSystem system = SourceSystem.valueOf(source);
        Instant observedAt = Instant.parse(at);
        GuestId guest = directory.resolve(NormalizedEmail.parse(email), system, observedAt, "system:it-probe");
        if (firstName != null) {
            directory.observe(guest, new Observation(GuestField.FIRST_NAME, firstName, system, observedAt), "system:it-probe");
        }
        if (phone != null) {
            directory.observe(guest, new Observation(GuestField.PHONE, phone, system, observedAt), "system:it-probe");
        }
        if (consent != null) {
            ledger.append(new io.guestbridge.consent.api.ConsentRecord(guest, consent, io.guestbridge.consent.api.ConsentDecision.GRANTED,
                    "portal-marketing", "4", observedAt, "captive-portal:venue-888/lobby", java.util.Map.of("checkbox", "shown-unticked"),
                    false, false), "system:it-probe");
        }
        if (fail != null) {
            // everything above must disappear with the transaction: guest, fields, audit, outbox, consent
            throw new IllegalStateException("probe: failing after the writes, as asked");
        }
        return guest.value();
    }
}
