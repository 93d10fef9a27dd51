package io.guestbridge.audit.internal;

import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditTrail;
import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import javax.sql.DataSource;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Appends records under a lock on the chain head, inside the caller's transaction.
 *
 * <p>Written with JDBC on the JTA data source, the same way every other module writes, so the record
 * is on the caller's own connection and commits or vanishes with the change it describes; reads stay
 * on JPA. It also checks that the connection is enlisted: a SIGKILL test once found guest rows whose
 * audit records were lost, because work-queue threads were handed autocommit connections.
 */
@ApplicationScoped
public class JdbcAuditTrail implements AuditTrail {

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Override
    @Transactional(TxType.MANDATORY)
    public AuditReceipt record(AuditEvent event) {
        return Jdbc.inConnection(dataSource, "audit", c -> {
            // every audited change passes here: the one place to insist that it really is one transaction
            Jdbc.requireTransaction(c, "audit");
            long lastSeq;
            String lastHash;
            try (PreparedStatement s = c.prepareStatement("SELECT last_seq, last_hash FROM aud_chain_head WHERE id = ? FOR UPDATE")) {
                s.setInt(1, AuditChainHead.ID);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        throw new SQLException("the audit chain head is missing: the aud_ migrations did not run");
                    }
                    lastSeq = rs.getLong(1);
                    lastHash = rs.getString(2);
                }
            }
            AuditRecord record = AuditRecord.following(lastSeq + 1, lastHash, event, Instant.now());
            try (PreparedStatement s = c.prepareStatement("INSERT INTO aud_record (seq, occurred_at, actor, action, module, subject_ref, "
                    + "details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                s.setLong(1, record.seq());
                s.setObject(2, LocalDateTime.ofInstant(record.occurredAt(), ZoneOffset.UTC));
                s.setString(3, record.actor());
                s.setString(4, record.action());
                s.setString(5, record.module());
                s.setString(6, record.subjectRef());
                s.setString(7, record.detailsJson());
                s.setString(8, lastHash);
                s.setString(9, record.hash());
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE aud_chain_head SET last_seq = ?, last_hash = ? WHERE id = ?")) {
                s.setLong(1, record.seq());
                s.setString(2, record.hash());
                s.setInt(3, AuditChainHead.ID);
                s.executeUpdate();
            }
            return new AuditReceipt(record.seq(), record.hash());
        });
    }
}
