package io.guestbridge.ingestion.internal.inbox;

import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.SubjectErasure;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.sql.PreparedStatement;
import javax.sql.DataSource;

/** The subject's raw inbox payloads and quarantine items, found by guest or, before a guest existed, by email index. */
@ApplicationScoped
public class InboxErasure implements SubjectErasure {

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public int erase(Subject subject) {
        return Jdbc.inConnection(dataSource, "ingestion", c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM ing_inbox WHERE guest_id = ? OR subject_index = ?")) {
                s.setString(1, subject.guestId());
                s.setString(2, subject.emailIndex());
                return s.executeUpdate();
            }
        });
    }

    @Override
    public String module() {
        return "ingestion";
    }
}
