package io.guestbridge.audit.internal;

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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Appends records under a lock on the chain head, inside the caller's transaction.
 *
 * <p>The first record of a transaction locks the head ({@code SELECT … FOR UPDATE}); the transaction
 * holds that lock until it ends, so its further records simply continue the chain in memory, and all of
 * them are inserted (one multi-row INSERT) and the head moved (one UPDATE) just before the commit. A
 * transaction that records a hundred events pays for three statements, not three hundred, and the
 * chain stays gap-free in commit order exactly as before.
 *
 * <p>Plain JDBC on the JTA data source, like every other write, and on an enlisted connection only: a
 * SIGKILL test once found guest rows whose audit records were lost because work-queue threads had been
 * handed autocommit connections. Reads stay on JPA.
 */
@ApplicationScoped
public class JdbcAuditTrail implements AuditTrail {

    private static final Object CHAIN = JdbcAuditTrail.class.getName() + ".chain";

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Resource
    TransactionSynchronizationRegistry registry;

    /** The chain as this transaction extends it: the head it locked and the records not yet inserted. */
    private static final class TransactionChain {
        long lastSeq;
        String lastHash;
        final List<AuditRecord> pending = new ArrayList<>();
    }

    @Override
    @Transactional(TxType.MANDATORY)
    public AuditReceipt record(AuditEvent event) {
        TransactionChain chain = (TransactionChain) registry.getResource(CHAIN);
        if (chain == null) {
            chain = lockHead();
            registry.putResource(CHAIN, chain);
            TransactionChain flushed = chain;
            registry.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                    if (registry.getTransactionStatus() == Status.STATUS_ACTIVE) {
                        flush(flushed);
                    }
                }

                @Override
                public void afterCompletion(int status) {
                    // nothing kept between transactions
                }
            });
        }
        AuditRecord record = AuditRecord.following(chain.lastSeq + 1, chain.lastHash, event, Instant.now());
        chain.pending.add(record);
        chain.lastSeq = record.seq();
        chain.lastHash = record.hash();
        return new AuditReceipt(record.seq(), record.hash());
    }

    private TransactionChain lockHead() {
        return Jdbc.inConnection(dataSource, "audit", c -> {
            // every audited change passes here: the one place to insist that it really is one transaction
            Jdbc.requireTransaction(c, "audit");
            try (PreparedStatement s = c.prepareStatement("SELECT last_seq, last_hash FROM aud_chain_head WHERE id = ? FOR UPDATE")) {
                s.setInt(1, AuditChainHead.ID);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        throw new SQLException("the audit chain head is missing: the aud_ migrations did not run");
                    }
                    TransactionChain chain = new TransactionChain();
                    chain.lastSeq = rs.getLong(1);
                    chain.lastHash = rs.getString(2);
                    return chain;
                }
            }
        });
    }

    private void flush(TransactionChain chain) {
        if (chain.pending.isEmpty()) {
            return;
        }
        Jdbc.inConnection(dataSource, "audit", c -> {
            Jdbc.requireTransaction(c, "audit");
            for (int from = 0; from < chain.pending.size(); from += 500) {
                List<AuditRecord> part = chain.pending.subList(from, Math.min(chain.pending.size(), from + 500));
                StringBuilder sql = new StringBuilder("INSERT INTO aud_record (seq, occurred_at, actor, action, module, subject_ref, details, "
                        + "prev_hash, hash) VALUES ");
                for (int i = 0; i < part.size(); i++) {
                    sql.append(i == 0 ? "(?,?,?,?,?,?,?,?,?)" : ",(?,?,?,?,?,?,?,?,?)");
                }
                try (PreparedStatement s = c.prepareStatement(sql.toString())) {
                    int p = 1;
                    for (AuditRecord record : part) {
                        s.setLong(p++, record.seq());
                        s.setObject(p++, LocalDateTime.ofInstant(record.occurredAt(), ZoneOffset.UTC));
                        s.setString(p++, record.actor());
                        s.setString(p++, record.action());
                        s.setString(p++, record.module());
                        s.setString(p++, record.subjectRef());
                        s.setString(p++, record.detailsJson());
                        s.setString(p++, record.prevHash());
                        s.setString(p++, record.hash());
                    }
                    s.executeUpdate();
                }
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE aud_chain_head SET last_seq = ?, last_hash = ? WHERE id = ?")) {
                s.setLong(1, chain.lastSeq);
                s.setString(2, chain.lastHash);
                s.setInt(3, AuditChainHead.ID);
                s.executeUpdate();
            }
            chain.pending.clear();
            return null;
        });
    }
}
