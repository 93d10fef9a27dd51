package io.guestbridge.onboarding.internal;

import io.guestbridge.identity.api.GuestId;
import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.SubjectErasure;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;

/**
 * The guest's WiFi credentials go with the guest: the rows here (active ones too, so RADIUS refuses at once), while
 * identity's destruction of the data key makes every sealed passphrase unreadable, in backups as well.
 */
@ApplicationScoped
public class OnboardingErasure implements SubjectErasure {

    private final OnboardingStore store = new OnboardingStore();

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public int erase(Subject subject) {
        if (subject.guestId() == null) {
            return 0;
        }
        return Jdbc.inConnection(dataSource, "onboarding", c -> store.eraseGuest(c, new GuestId(subject.guestId())));
    }

    @Override
    public String module() {
        return "onboarding";
    }
}
