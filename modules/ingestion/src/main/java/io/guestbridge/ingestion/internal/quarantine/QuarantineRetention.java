package io.guestbridge.ingestion.internal.quarantine;

import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.KeyedBatch;
import io.guestbridge.platform.api.RetentionPurge;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

/**
 * A quarantined event waits, with its raw body, for an operator to fix and replay or discard it. One nobody
 * touched for 30 days (the default) will not be replayed, and its body still names a guest: it is discarded as an
 * operator's discard would be (body and key reference emptied, the row kept as the record of receipt, with its
 * reason). The retention runner audits the count.
 */
@ApplicationScoped
public class QuarantineRetention implements RetentionPurge {

    static final String REASON = "discarded: quarantined longer than its retention";

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Override
    public String category() {
        return "quarantined-events";
    }

    @Override
    public String description() {
        return "events in quarantine nobody replayed or discarded, by their receipt: discarded, the row kept as the record of receipt without its body";
    }

    @Override
    public Duration defaultRetention() {
        return Duration.ofDays(30);
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public int purge(Instant cutoff, int limit) {
        return Jdbc.inConnection(dataSource, "ingestion", c -> purge(c, cutoff, limit));
    }

    static int purge(Connection c, Instant cutoff, int limit) throws SQLException {
        // found along the (state, id) index, then changed by primary key, each still quarantined: an operator's
        // replay that committed in between wins
        return KeyedBatch.find("SELECT id FROM ing_inbox WHERE state = 'QUARANTINED' AND received_at < ? ORDER BY id LIMIT ?",
                        Jdbc.utc(cutoff), limit)
                .change("UPDATE ing_inbox SET state = 'DISCARDED', body = '', body_key = NULL, reason = ?, processed_at = ? "
                        + "WHERE id IN (" + KeyedBatch.IDS + ") AND state = 'QUARANTINED'", REASON, Jdbc.utc(Instant.now()))
                .run(c);
    }
}
