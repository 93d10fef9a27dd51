package io.guestbridge.platform.api;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Key material apart from the data: AES-256 data keys, each named by a kind ({@code guest}, {@code inbox-day})
 * and an id, kept wrapped under the master key in a database of their own ({@code guestbridge_keys}: its own
 * user, backups and retention). A restored backup of the data database therefore opens only what the vault
 * still holds keys for: destroying a key erases everything it sealed, in the data and in its backups.
 *
 * <p>The vault cannot join the business transaction (that would take XA): every change commits at once, in
 * its own short transaction. Create a key before the data that uses it (a key left by a transaction that
 * rolled back opens nothing and is harmless), and destroy it before (or instead of) deleting the data it
 * sealed, so a crash in between never leaves readable data. Keys are cached in memory on each instance;
 * {@link #destroy} evicts at once, and no key read before a destruction is cached after it. Another
 * instance may keep a destroyed key in memory for at most five minutes, never beyond: it can no longer
 * find any data to open with it in the live database, and it never writes it anywhere.
 */
public interface KeyVault {

    /** The key of this kind and id; empty when there is none (never created, or destroyed). */
    Optional<DataKey> find(String kind, String id);

    /** Keys of one kind in one read; ids without a key are absent from the map. */
    Map<String, DataKey> findAll(String kind, Collection<String> ids);

    /** The key of this kind and id, created and committed first when there is none yet (e.g. a day's key). */
    DataKey obtain(String kind, String id);

    /**
     * A new key under a new random id (a UUID), already committed: taken from a reserve that is created a
     * batch at a time, so a new key costs a commit per batch, not per key.
     */
    DataKey fresh(String kind);

    /** Destroys the key (committed when this returns) and forgets it on this instance; true when there was one. */
    boolean destroy(String kind, String id);

    /** The ids of a kind, in order (for kinds with few keys, such as days). */
    List<String> ids(String kind);
}
