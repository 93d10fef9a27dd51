package io.guestbridge.crmsync.internal.links;

import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.SubjectErasure;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;

/** Which CRM records were the guest's (the CRMs themselves are erased by their own steps, with the email). */
@ApplicationScoped
public class CrmLinkErasure implements SubjectErasure {

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public int erase(Subject subject) {
        return subject.guestId() == null ? 0 : Jdbc.update(dataSource, "crmsync", "DELETE FROM crm_link WHERE guest_id = ?", subject.guestId());
    }

    @Override
    public String module() {
        return "crmsync";
    }
}
