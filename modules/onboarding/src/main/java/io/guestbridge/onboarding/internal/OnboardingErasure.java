package io.guestbridge.onboarding.internal;

import io.guestbridge.identity.api.GuestId;
import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.SubjectErasure;
import io.guestbridge.platform.api.WorkQueue;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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

    @Inject
    WorkQueue queue;

    @Inject
    PairwiseMasterKeys pmks;

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public int erase(Subject subject) {
        if (subject.guestId() == null) {
            return 0;
        }
        return Jdbc.inConnection(dataSource, "onboarding", c -> {
            GuestId guest = new GuestId(subject.guestId());
            // the rows go now; what a Meraki dashboard holds goes after this transaction, by ids the queue keeps
            for (String[] psk : store.merakiPsksOfGuest(c, guest)) {
                queue.publish(IdentityPskDue.deleteAfterErasure(psk[0], psk[1], psk[2]));
            }
            for (StoredCredential credential : store.ofGuest(c, guest)) {
                pmks.forget(credential.id()); // a Ruckus network's keys derived from the guest's passphrases
            }
            return store.eraseGuest(c, guest);
        });
    }

    @Override
    public String module() {
        return "onboarding";
    }
}
