package io.guestbridge.crmsync.internal.sponsors;

import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.SubjectErasure;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;

/**
 * Which sponsors received the guest (what a sponsor holds is its own to erase under its agreement; the guest's sponsor
 * consent goes with the consent ledger, so the guest is in no later export).
 */
@ApplicationScoped
public class SponsorShareErasure implements SubjectErasure {

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    private final SponsorShares shares = new SponsorShares();

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public int erase(Subject subject) {
        return subject.guestId() == null ? 0 : Jdbc.inConnection(dataSource, "sponsor shares", c -> shares.erase(c, subject.guestId()));
    }

    @Override
    public String module() {
        return SponsorShareAccess.PART;
    }
}
