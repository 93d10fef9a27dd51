package io.guestbridge.audit.internal;

import io.guestbridge.tlog.Canonical;
import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditTrail;
import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes records unnumbered inside the caller's transaction, with no lock shared with any other writer, into the table
 * where they wait for their number (aud_pending, whose only index is its key).
 *
 * <p>The records of a transaction are collected in memory and inserted with one multi-row INSERT just
 * before the commit, so a transaction that records a hundred events pays for one statement. Numbering,
 * chaining and the Merkle tree are the sequencer's work after the commit ({@link AuditSequencer}): a
 * record of a transaction that rolls back never exists, so it can never be numbered.
 *
 * <p>Plain JDBC on the JTA data source, like every other write, and on an enlisted connection only: a
 * SIGKILL test once found guest rows whose audit records were lost because work-queue threads had been
 * handed autocommit connections. Reads stay on JPA.
 */
// plain JDBC, one multi-row INSERT per transaction: bench/processing measures the audit log under the processing load
@ApplicationScoped
public class JdbcAuditTrail implements AuditTrail {

    private static final Object PENDING = JdbcAuditTrail.class.getName() + ".pending";

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Resource
    TransactionSynchronizationRegistry registry;

    /** An event waiting for its transaction's end. */
    record Pending(Instant at, AuditEvent event) {
    }

    @Override
    @Transactional(TxType.MANDATORY)
    public AuditReceipt record(AuditEvent event) {
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        pending().add(new Pending(at, event));
        return new AuditReceipt(at);
    }

    /** The events of a batch, in one call: the transaction interceptor runs once, not once per record. */
    @Override
    @Transactional(TxType.MANDATORY)
    public void recordAll(List<AuditEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        List<Pending> pending = pending();
        for (AuditEvent event : events) {
            pending.add(new Pending(Instant.now().truncatedTo(ChronoUnit.MICROS), event));
        }
    }

    /** The records this transaction has written so far, inserted just before it commits. */
    @SuppressWarnings("unchecked")
    private List<Pending> pending() {
        List<Pending> pending = (List<Pending>) registry.getResource(PENDING);
        if (pending == null) {
            // every audited change passes here: the one place to insist that it really is one transaction
            Jdbc.inConnection(dataSource, "audit", c -> {
                Jdbc.requireTransaction(c, "audit");
                return null;
            });
            List<Pending> collected = new ArrayList<>();
            registry.putResource(PENDING, collected);
            registry.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                    if (registry.getTransactionStatus() == Status.STATUS_ACTIVE) {
                        insert(collected);
                    }
                }

                @Override
                public void afterCompletion(int status) {
                    // nothing kept between transactions
                }
            });
            pending = collected;
        }
        return pending;
    }

    private void insert(List<Pending> pending) {
        if (pending.isEmpty()) {
            return;
        }
        Jdbc.inConnection(dataSource, "audit", c -> {
            Jdbc.requireTransaction(c, "audit");
            insert(c, pending);
            pending.clear();
            return null;
        });
    }

    /** Inserts the records, waiting for their number, on the transaction of {@code c}, 500 rows per statement. */
    static void insert(Connection c, List<Pending> pending) throws SQLException {
        for (int from = 0; from < pending.size(); from += 500) {
            List<Pending> part = pending.subList(from, Math.min(pending.size(), from + 500));
            StringBuilder sql = new StringBuilder("INSERT INTO aud_pending (occurred_at, actor, action, module, subject_ref, details) VALUES ");
            for (int i = 0; i < part.size(); i++) {
                sql.append(i == 0 ? "(?,?,?,?,?,?)" : ",(?,?,?,?,?,?)");
            }
            try (PreparedStatement s = c.prepareStatement(sql.toString())) {
                int p = 1;
                for (Pending record : part) {
                    s.setObject(p++, Jdbc.utc(record.at()));
                    s.setString(p++, record.event().actor());
                    s.setString(p++, record.event().action());
                    s.setString(p++, record.event().module());
                    s.setString(p++, record.event().subjectRef());
                    s.setString(p++, Canonical.json(record.event().details()));
                }
                s.executeUpdate();
            }
        }
    }
}
