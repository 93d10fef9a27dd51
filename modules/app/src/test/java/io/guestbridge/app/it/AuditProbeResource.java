package io.guestbridge.app.it;

import io.guestbridge.audit.api.Actor;
import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditTrail;
import jakarta.annotation.Resource;
import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * In the tests' shared WAR ({@link Deployed#sharedWar()}), never in the product; used by {@link SequencerTakeoverIT}: an
 * audited transaction that rolls back after its audit record reached the database. The trail inserts a transaction's
 * records just before the commit; this probe lets that insert happen, checks on the transaction's own connection that the
 * record is there (unnumbered, uncommitted), keeps the transaction open for a while so the audit sequencer runs while the
 * record exists, and then makes the transaction roll back. The sequencer must never number such a record.
 */
@Path("it-probe/audit")
@RequestScoped
@PermitAll
public class AuditProbeResource {

    static final String ACTION = "AUDIT_PROBE_ROLLED_BACK";

    @Inject
    RollingBack rollingBack;

    /**
     * 409 when the record was in the database, uncommitted, and the transaction then rolled back (the only answer a
     * correct run gives); 500 when the record was not found before the rollback, or the transaction committed.
     */
    @Operation(hidden = true)
    @POST
    @Path("rolled-back/{probe}")
    public Response rolledBack(@PathParam("probe") long probe, @QueryParam("holdMs") long holdMs) {
        AtomicBoolean seen = new AtomicBoolean();
        try {
            rollingBack.write(probe, holdMs, seen);
        } catch (Exception rolledBack) {
            return seen.get()
                    ? Response.status(Response.Status.CONFLICT).type(MediaType.TEXT_PLAIN).entity("rolled back after its audit record was written").build()
                    : Response.serverError().type(MediaType.TEXT_PLAIN).entity("rolled back, but its audit record was not in the database first").build();
        }
        return Response.serverError().type(MediaType.TEXT_PLAIN).entity("the transaction committed").build();
    }

    /**
     * The transaction, run by the container's interceptor (a UserTransaction is refused once the trail's own
     * interceptor has run on the thread, and a transaction left open on a request thread would leak into the next request).
     */
    @ApplicationScoped
    public static class RollingBack {

        @Inject
        AuditTrail trail;

        @Resource
        TransactionSynchronizationRegistry registry;

        @Resource(lookup = io.guestbridge.platform.api.Database.JNDI_NAME)
        DataSource dataSource;

        @Transactional
        public void write(long probe, long holdMs, AtomicBoolean seen) {
            trail.record(AuditEvent.of("platform", ACTION).by(Actor.system("it-probe")).with("probe", probe).build());
            // registered after the trail's own synchronization, so it runs after the trail's INSERT
            registry.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                    try (Connection c = dataSource.getConnection();
                         PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM aud_pending WHERE action = ? AND details LIKE ?")) {
                        s.setString(1, ACTION);
                        s.setString(2, "%\"" + probe + "\"%");
                        try (ResultSet rs = s.executeQuery()) {
                            rs.next();
                            seen.set(rs.getLong(1) == 1);
                        }
                        Thread.sleep(Math.max(0, Math.min(holdMs, 2000)));
                    } catch (Exception e) {
                        seen.set(false);
                    } finally {
                        registry.setRollbackOnly();
                    }
                }

                @Override
                public void afterCompletion(int status) {
                    // nothing to release
                }
            });
        }
    }
}
