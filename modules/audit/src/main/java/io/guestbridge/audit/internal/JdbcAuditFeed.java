package io.guestbridge.audit.internal;

import io.guestbridge.audit.api.AuditFeed;
import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Reads the feed with the (module, seq) index of the log, which holds numbered records only. */
@ApplicationScoped
public class JdbcAuditFeed implements AuditFeed {

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Override
    public List<Entry> after(long sequence, String module, Set<String> actions, int limit) {
        if (actions.isEmpty()) {
            return List.of();
        }
        String placeholders = String.join(",", java.util.Collections.nCopies(actions.size(), "?"));
        return Jdbc.inConnection(dataSource, "audit", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT seq, subject_ref, occurred_at FROM aud_record "
                    + "WHERE module = ? AND seq > ? AND action IN (" + placeholders + ") ORDER BY seq LIMIT ?")) {
                int p = 1;
                s.setString(p++, module);
                s.setLong(p++, sequence);
                for (String action : actions) {
                    s.setString(p++, action);
                }
                s.setInt(p, limit);
                List<Entry> entries = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        entries.add(new Entry(rs.getLong(1), rs.getString(2), Jdbc.instant(rs, 3)));
                    }
                }
                return entries;
            }
        });
    }
}
