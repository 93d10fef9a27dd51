package io.guestbridge.crmsync.api;

import java.time.Instant;
import java.util.List;

/**
 * The sponsors that receive guest data under a data sharing agreement, for the data map and the Art. 30 record: each
 * is a recipient, whether or not its agreement is in force today (what it received stays with it).
 */
public interface Sponsors {

    /** How a sponsor's consent purpose in the ledger starts: {@code sponsor:<id>}. */
    String CONSENT_PREFIX = "sponsor:";

    /** Every registered sponsor, by name. */
    List<Recipient> recipients();

    /**
     * Stops every sponsor's current share of the guest now (the guest opted out of sale or sharing), each audited about the
     * guest with {@code because} (a reference, no personal data) as evidence; joins the caller's transaction. Returns the
     * sponsors' ids.
     */
    List<String> stopSharingWith(String guestId, String actor, String because);

    /** The sponsors that ever received the guest (whether or not they still do), in id order; joins the caller's transaction. */
    List<String> receivedBy(String guestId);

    /**
     * A sponsor as a recipient of guest data: the purpose and fields of its agreement, and the agreement's term
     * ({@code endsAt} null while open-ended). {@code consentPurpose} is the consent ledger's purpose that gates it;
     * {@code contactEmail} the sponsor's privacy contact (null when none was registered), told of erasures.
     */
    record Recipient(String id, String name, String agreementRef, String purpose, List<String> sharedFields, Instant startsAt, Instant endsAt,
                     boolean inForce, String consentPurpose, String contactEmail) {
    }
}
