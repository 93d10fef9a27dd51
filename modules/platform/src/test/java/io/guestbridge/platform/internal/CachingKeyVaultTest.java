package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.DataKey;
import io.guestbridge.platform.api.KeyVault;
import io.guestbridge.platform.api.SecretBox;
import io.guestbridge.platform.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The key vault on a real key store: keys committed apart from any data, destroyed for good, never cached past a destruction. */
class CachingKeyVaultTest {

    private final TestDatabase db = TestDatabase.get();
    private final SecretBox master = SecretBox.withKey(randomKey());

    @Test
    void aFreshKeyIsCommittedAndAnotherInstanceOpensWhatItSealed() {
        KeyVault one = db.vault(master);
        KeyVault other = db.vault(master);
        DataKey key = one.fresh("guest");
        UUID.fromString(key.id());
        byte[] sealed = key.seal("jane@example.com".getBytes(StandardCharsets.UTF_8), aad(key));
        DataKey found = other.find("guest", key.id()).orElseThrow();
        assertArrayEquals("jane@example.com".getBytes(StandardCharsets.UTF_8), found.open(sealed, aad(key)));
        assertNotEquals(key.id(), one.fresh("guest").id(), "every fresh key has its own id");
        assertThrows(IllegalStateException.class, () -> found.open(sealed, "guest:another".getBytes(StandardCharsets.UTF_8)),
                "the associated data binds the value to its place");
    }

    @Test
    void aDestroyedKeyIsGoneForThisInstanceAndEveryNewReader() {
        KeyVault vault = db.vault(master);
        DataKey key = vault.fresh("guest");
        byte[] sealed = key.seal("+447700900123".getBytes(StandardCharsets.UTF_8), aad(key));
        assertTrue(vault.find("guest", key.id()).isPresent(), "cached after use");
        assertTrue(vault.destroy("guest", key.id()));
        assertEquals(Optional.empty(), vault.find("guest", key.id()), "evicted at once");
        assertEquals(Optional.empty(), db.vault(master).find("guest", key.id()), "gone from the key store");
        assertFalse(vault.destroy("guest", key.id()), "destroying again is harmless");
        assertTrue(db.vault(master).findAll("guest", List.of(key.id())).isEmpty());
        // what it sealed stays sealed: no other key of the vault opens it
        DataKey other = vault.fresh("guest");
        assertThrows(IllegalStateException.class, () -> other.open(sealed, aad(key)));
    }

    @Test
    void obtainCreatesOnceAndEveryInstanceGetsTheSameKey() {
        String day = "2026-11-" + (10 + new SecureRandom().nextInt(18)) + "-" + UUID.randomUUID();
        DataKey first = db.vault(master).obtain("inbox-day", day);
        DataKey second = db.vault(master).obtain("inbox-day", day);
        byte[] sealed = first.seal(new byte[]{1, 2, 3}, new byte[0]);
        assertArrayEquals(new byte[]{1, 2, 3}, second.open(sealed, new byte[0]));
        assertTrue(db.vault(master).ids("inbox-day").contains(day));
    }

    @Test
    void findAllReadsManyKeysAndSkipsTheMissing() {
        KeyVault vault = db.vault(master);
        DataKey a = vault.fresh("guest");
        DataKey b = vault.fresh("guest");
        Map<String, DataKey> found = db.vault(master).findAll("guest", List.of(a.id(), b.id(), UUID.randomUUID().toString()));
        assertEquals(2, found.size());
        assertEquals(a.id(), found.get(a.id()).id());
    }

    @Test
    void aWrappedKeyCopiedToAnotherIdDoesNotOpen() throws Exception {
        KeyVault vault = db.vault(master);
        DataKey key = vault.fresh("guest");
        String copy = UUID.randomUUID().toString();
        try (Connection c = db.keys().getConnection();
             PreparedStatement s = c.prepareStatement("INSERT INTO gbk_key (kind, id, wrapped, created_at) "
                     + "SELECT kind, ?, wrapped, created_at FROM gbk_key WHERE kind = 'guest' AND id = ?")) {
            s.setString(1, copy);
            s.setString(2, key.id());
            assertEquals(1, s.executeUpdate());
        }
        assertThrows(IllegalStateException.class, () -> db.vault(master).find("guest", copy));
        assertThrows(IllegalStateException.class, () -> db.vault(SecretBox.withKey(randomKey())).find("guest", key.id()),
                "another master key opens nothing");
    }

    @Test
    void theKeyStoreHoldsNoKeyInClear() throws Exception {
        DataKey key = db.vault(master).fresh("guest");
        try (Connection c = db.keys().getConnection();
             PreparedStatement s = c.prepareStatement("SELECT wrapped FROM gbk_key WHERE kind = 'guest' AND id = ?")) {
            s.setString(1, key.id());
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next());
                String wrapped = rs.getString(1);
                assertFalse(wrapped.contains(Base64.getEncoder().encodeToString(key.material())));
                assertArrayEquals(key.material(), master.open(wrapped, "guest:" + key.id()));
            }
        }
    }

    @Test
    void aKeyReadWhileAnotherKeyIsDestroyedIsNotCached() {
        AtomicInteger reads = new AtomicInteger();
        CachingKeyVault[] vault = new CachingKeyVault[1];
        DataKey stored = DataKey.generate("guest", UUID.randomUUID().toString());
        KeyVaultStore racing = new KeyVaultStore(db.keys(), master) {
            @Override
            Optional<DataKey> read(String kind, String id) {
                if (reads.incrementAndGet() == 1) {
                    // the erasure of this very guest commits while its key is being read
                    vault[0].destroy(kind, id);
                }
                return Optional.of(stored);
            }
        };
        vault[0] = new CachingKeyVault(racing);
        assertTrue(vault[0].find("guest", stored.id()).isPresent(), "the read in flight still returns what it read");
        vault[0].find("guest", stored.id());
        assertEquals(2, reads.get(), "the key read during the destruction was not cached: the next use asks the key store again");
        vault[0].find("guest", stored.id());
        assertEquals(2, reads.get(), "a read with no destruction in between is cached");
    }

    private static byte[] aad(DataKey key) {
        return ("guest:" + key.id()).getBytes(StandardCharsets.UTF_8);
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
