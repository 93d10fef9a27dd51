package io.guestbridge.crmsync.internal.links;

import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.SubjectErasure;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;

/**
 * Which CRM records were the guest's, and what each connector was last sent of them (the CRMs themselves are erased by
 * their own steps, with the email).
 */
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
        return Jdbc.update(dataSource, "crmsync", "DELETE FROM crm_link WHERE guest_id = ?", subject.guestId())
                + Jdbc.update(dataSource, "crmsync", "DELETE FROM crm_sync_facts WHERE guest_id = ?", subject.guestId());
    }

    @Override
    public String module() {
        return "crmsync";
    }
}
