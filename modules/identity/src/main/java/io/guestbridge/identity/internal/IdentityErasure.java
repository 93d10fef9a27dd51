package io.guestbridge.identity.internal;

import io.guestbridge.identity.api.GuestId;
import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.KeyVault;
import io.guestbridge.platform.api.SubjectErasure;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.sql.PreparedStatement;

/**
 * The guest's data key (crypto-shredding: every backup of the data keeps only ciphertext nobody can open),
 * then the guest, fields, visits, devices and stays (they go with the guest row, ON DELETE CASCADE).
 *
 * <p>The key lives in the key vault, which commits on its own: it is destroyed first, before this
 * transaction deletes the rows. A crash or a rollback in between leaves rows nobody can read, and the
 * erasure step runs again (destroying an absent key is harmless), so no order of failures leaves readable data.
 */
@ApplicationScoped
public class IdentityErasure implements SubjectErasure {

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Inject
    KeyVault vault;

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public int erase(Subject subject) {
        if (subject.guestId() == null) {
            return 0;
        }
        GuestId guest = new GuestId(subject.guestId());
        int keys = vault.destroy(GuestCrypto.KEY_KIND, guest.value()) ? 1 : 0;
        return keys + Jdbc.inConnection(dataSource, "identity", c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM idn_guest WHERE id = ?")) {
                s.setString(1, guest.value());
                return s.executeUpdate();
            }
        });
    }

    @Override
    public String module() {
        return "identity";
    }
}
