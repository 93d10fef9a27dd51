package io.guestbridge.consent.internal;

import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.SubjectErasure;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.sql.PreparedStatement;

/**
 * The guest's consent rows: the one deletion the append-only ledger allows, declared to its trigger
 * with the session flag {@code @guestbridge_erasure} and cleared again before the connection goes back.
 */
@ApplicationScoped
public class ConsentErasure implements SubjectErasure {

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public int erase(Subject subject) {
        if (subject.guestId() == null) {
            return 0;
        }
        return Jdbc.inConnection(dataSource, "consent", c -> Jdbc.withSessionFlag(c, "guestbridge_erasure", flagged -> {
            int rows = 0;
            for (String sql : new String[]{"DELETE FROM cns_ledger WHERE guest_id = ?", "DELETE FROM cns_chain_head WHERE guest_id = ?"}) {
                try (PreparedStatement s = flagged.prepareStatement(sql)) {
                    s.setString(1, subject.guestId());
                    rows += s.executeUpdate();
                }
            }
            return rows;
        }));
    }

    @Override
    public String module() {
        return "consent";
    }
}
