package io.guestbridge.crmsync.internal.links;

import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.SubjectErasure;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.sql.PreparedStatement;
import javax.sql.DataSource;

/** Which CRM records were the guest's (the CRMs themselves are erased by their own steps, with the email). */
@ApplicationScoped
public class CrmLinkErasure implements SubjectErasure {

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public int erase(Subject subject) {
        if (subject.guestId() == null) {
            return 0;
        }
        return Jdbc.inConnection(dataSource, "crmsync", c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM crm_link WHERE guest_id = ?")) {
                s.setString(1, subject.guestId());
                return s.executeUpdate();
            }
        });
    }

    @Override
    public String module() {
        return "crmsync";
    }
}
