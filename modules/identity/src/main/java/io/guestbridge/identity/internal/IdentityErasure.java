package io.guestbridge.identity.internal;

import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.SubjectErasure;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.sql.PreparedStatement;

/**
 * The guest, its data key (crypto-shredding: backups keep only ciphertext nobody can open), fields,
 * visits, devices and stays (they go with the guest row, ON DELETE CASCADE).
 */
@ApplicationScoped
public class IdentityErasure implements SubjectErasure {

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public int erase(Subject subject) {
        if (subject.guestId() == null) {
            return 0;
        }
        return Jdbc.inConnection(dataSource, "identity", c -> {
            int rows = 0;
            // the key first and on its own: even a restore of this very transaction's backup cannot read the rest
            for (String sql : new String[]{"DELETE FROM idn_guest_key WHERE guest_id = ?", "DELETE FROM idn_guest WHERE id = ?"}) {
                try (PreparedStatement s = c.prepareStatement(sql)) {
                    s.setString(1, subject.guestId());
                    rows += s.executeUpdate();
                }
            }
            return rows;
        });
    }

    @Override
    public String module() {
        return "identity";
    }
}
