package io.guestbridge.privacy.internal.portal;

import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.SubjectErasure;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;

/** The subject's open proofs for managing consent name their guest: they go with the guest (a proof's row lives a day at most anyway). */
@ApplicationScoped
public class ProofErasure implements SubjectErasure {

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public int erase(Subject subject) {
        return subject.guestId() == null ? 0 : Jdbc.update(dataSource, "privacy", "DELETE FROM prv_challenge WHERE guest_id = ?", subject.guestId());
    }

    @Override
    public String module() {
        return "privacy";
    }
}
