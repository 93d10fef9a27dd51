package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.DataKey;
import io.guestbridge.platform.api.KeyVault;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * The vault with an in-memory cache of unwrapped keys and a reserve of fresh keys per kind.
 *
 * <p>The cache saves a round trip to the key store per event on the processing path. It never outlives a
 * destruction on this instance: {@link #destroy} removes the key after deleting it, and a read that was
 * running while any key was destroyed is not cached (a destruction counter, checked and updated under one
 * lock, tells). Entries expire {@value #TTL_MINUTES} minutes after they were read, which bounds how long
 * another instance keeps a key this one destroyed; the cache is emptied when it grows past {@value #MAX_ENTRIES}.
 *
 * <p>The reserve creates {@value #RESERVE} keys with random ids in one transaction of the key store; keys
 * still in it when the instance stops were never used and open nothing.
 */
public final class CachingKeyVault implements KeyVault {

    static final int TTL_MINUTES = 5;
    static final int MAX_ENTRIES = 100_000;
    static final int RESERVE = 64;

    private record Cached(DataKey key, long expiresAt) {
    }

    private final KeyVaultStore store;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Map<String, Queue<DataKey>> reserves = new ConcurrentHashMap<>();
    private final Object destructions = new Object();
    private long destroyed;

    CachingKeyVault(KeyVaultStore store) {
        this.store = store;
    }

    /** A vault over the key store reached through {@code keys}, wrapping keys under {@code master}. */
    public static CachingKeyVault over(javax.sql.DataSource keys, io.guestbridge.platform.api.SecretBox master) {
        return new CachingKeyVault(new KeyVaultStore(keys, master));
    }

    @Override
    public Optional<DataKey> find(String kind, String id) {
        DataKey cached = cached(kind, id);
        if (cached != null) {
            return Optional.of(cached);
        }
        long before = destructionCount();
        Optional<DataKey> read = store.read(kind, id);
        read.ifPresent(key -> remember(List.of(key), before));
        return read;
    }

    @Override
    public Map<String, DataKey> findAll(String kind, Collection<String> ids) {
        Map<String, DataKey> found = new HashMap<>();
        List<String> missing = new ArrayList<>();
        for (String id : ids) {
            DataKey cached = cached(kind, id);
            if (cached != null) {
                found.put(id, cached);
            } else {
                missing.add(id);
            }
        }
        if (!missing.isEmpty()) {
            long before = destructionCount();
            Map<String, DataKey> read = store.readAll(kind, missing);
            remember(read.values(), before);
            found.putAll(read);
        }
        return found;
    }

    @Override
    public DataKey obtain(String kind, String id) {
        DataKey cached = cached(kind, id);
        if (cached != null) {
            return cached;
        }
        long before = destructionCount();
        DataKey key = store.createIfAbsent(kind, id);
        remember(List.of(key), before);
        return key;
    }

    @Override
    public DataKey fresh(String kind) {
        Queue<DataKey> reserve = reserves.computeIfAbsent(kind, k -> new ConcurrentLinkedQueue<>());
        DataKey key = reserve.poll();
        while (key == null) {
            synchronized (reserve) {
                key = reserve.poll();
                if (key == null) {
                    List<String> ids = new ArrayList<>(RESERVE);
                    for (int i = 0; i < RESERVE; i++) {
                        ids.add(UUID.randomUUID().toString());
                    }
                    List<DataKey> created = store.createAll(kind, ids);
                    key = created.get(0);
                    reserve.addAll(created.subList(1, created.size()));
                }
            }
        }
        long before = destructionCount();
        remember(List.of(key), before);
        return key;
    }

    @Override
    public boolean destroy(String kind, String id) {
        cache.remove(kind + ":" + id);
        boolean deleted = store.delete(kind, id);
        synchronized (destructions) {
            destroyed++;
            cache.remove(kind + ":" + id);
        }
        return deleted;
    }

    @Override
    public List<String> ids(String kind) {
        return store.ids(kind);
    }

    private DataKey cached(String kind, String id) {
        Cached entry = cache.get(kind + ":" + id);
        if (entry == null) {
            return null;
        }
        if (entry.expiresAt() - System.nanoTime() < 0) {
            cache.remove(kind + ":" + id, entry);
            return null;
        }
        return entry.key();
    }

    private long destructionCount() {
        synchronized (destructions) {
            return destroyed;
        }
    }

    /** Caches keys read while no key was destroyed (a key read just before its destruction must not come back). */
    private void remember(Collection<DataKey> keys, long destructionsBefore) {
        long expiresAt = System.nanoTime() + TimeUnit.MINUTES.toNanos(TTL_MINUTES);
        synchronized (destructions) {
            if (destroyed != destructionsBefore) {
                return;
            }
            if (cache.size() + keys.size() > MAX_ENTRIES) {
                cache.clear();
            }
            for (DataKey key : keys) {
                cache.put(key.kind() + ":" + key.id(), new Cached(key, expiresAt));
            }
        }
    }
}
