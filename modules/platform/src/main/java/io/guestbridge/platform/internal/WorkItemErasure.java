package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.SubjectErasure;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.sql.PreparedStatement;

/** Pending work about the guest (the CRM outbox is coalesced per guest): nothing may sync it again. */
@ApplicationScoped
public class WorkItemErasure implements SubjectErasure {

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public int erase(Subject subject) {
        if (subject.guestId() == null) {
            return 0;
        }
        return Jdbc.inConnection(dataSource, "work queue", c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM plt_work_item WHERE coalesce_key = ?")) {
                s.setString(1, "guest:" + subject.guestId());
                return s.executeUpdate();
            }
        });
    }

    @Override
    public String module() {
        return "platform";
    }
}
