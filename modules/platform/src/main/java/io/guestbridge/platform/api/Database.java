package io.guestbridge.platform.api;

/** Where the one transactional database (and the key store beside it) is found, and the event that says it is ready to use. */
public final class Database {

    /** JNDI name of the JTA data source defined by the application (see the app module). */
    public static final String JNDI_NAME = "java:app/jdbc/guestbridge";

    /**
     * JNDI name of the key store's data source (see {@link KeyVault}): another database, another user, never
     * enlisted in a JTA transaction.
     */
    public static final String KEYS_JNDI_NAME = "java:app/jdbc/guestbridge-keys";

    private Database() {
    }

    /**
     * Fired once the schema migrations have run. Workers wait for it: nothing claims work from a
     * table that may not exist yet.
     */
    public record Ready(int appliedMigrations) {
    }
}
