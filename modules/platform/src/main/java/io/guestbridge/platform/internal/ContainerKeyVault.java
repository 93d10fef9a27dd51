package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.DataKey;
import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.KeyVault;
import io.guestbridge.platform.api.SecretBox;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import javax.sql.DataSource;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The key vault inside the server: one cache per instance over the key store's own (non-transactional) data source. */
@ApplicationScoped
public class ContainerKeyVault implements KeyVault {

    @Resource(lookup = Database.KEYS_JNDI_NAME)
    DataSource keys;

    @Inject
    Instance<SecretBox> master;

    private volatile CachingKeyVault vault;

    private CachingKeyVault vault() {
        CachingKeyVault v = vault;
        if (v == null) {
            synchronized (this) {
                if (vault == null) {
                    vault = CachingKeyVault.over(keys, master.get());
                }
                v = vault;
            }
        }
        return v;
    }

    @Override
    public Optional<DataKey> find(String kind, String id) {
        return vault().find(kind, id);
    }

    @Override
    public Map<String, DataKey> findAll(String kind, Collection<String> ids) {
        return vault().findAll(kind, ids);
    }

    @Override
    public DataKey obtain(String kind, String id) {
        return vault().obtain(kind, id);
    }

    @Override
    public DataKey fresh(String kind) {
        return vault().fresh(kind);
    }

    @Override
    public boolean destroy(String kind, String id) {
        return vault().destroy(kind, id);
    }

    @Override
    public List<String> ids(String kind) {
        return vault().ids(kind);
    }
}
