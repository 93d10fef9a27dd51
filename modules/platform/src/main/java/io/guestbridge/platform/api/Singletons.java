package io.guestbridge.platform.api;

/**
 * Work that runs on one instance of a deployment at a time, by a lease in the database ({@code plt_singleton_lease}):
 * a round of such work asks {@link #lead(String)} first and skips the round when another instance leads. The lease
 * is renewed in the background while this instance lives; when the holder dies its lease runs out (15 s by default,
 * {@code platform.singleton.lease-ms}) and another instance takes it at its next renewal; an instance that stops
 * normally hands its leases back at once.
 *
 * <p>Leases in the database rather than Payara's Data Grid (Hazelcast): the database is already the one truth every
 * instance shares and cannot work without, so the lease adds no second system to keep in quorum; it holds with any
 * number of instances, one included, on any network (the Data Grid needs its members to find each other, and a
 * split grid elects two masters while the database still has one row); and the same mechanism already numbers
 * the audit log. The work itself stays safe to run twice (its claims are guarded UPDATEs): the lease is what keeps
 * it to one instance, not what makes it correct.
 */
public interface Singletons {

    /**
     * Whether this instance leads the work {@code name} (up to 64 characters) now. The first call for a name
     * claims it at once; afterwards the answer is the last renewal's, which lapses locally before it does in the
     * database.
     */
    boolean lead(String name);

    /** This instance's id in the lease rows (a random UUID per start). */
    String instance();
}
