package io.guestbridge.crmsync.internal.delivery;

import io.guestbridge.consent.api.ConsentDecision;
import io.guestbridge.crmsync.internal.connectors.SyncTrigger;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What is true of a guest that a connector's triggers look at: the visits counted (one per venue and day, however
 * many logins), when their stays last changed (the latest booking event), the marketing consent entry in force, and
 * when their profile was last rectified.
 * A connector keeps the facts of its last successful sync of the guest; comparing them with the facts now tells what
 * happened since, whatever the number of changes the queue coalesced into one item.
 *
 * @param consentSequence the ledger sequence of the marketing consent entry in force; null when none is on record
 * @param consent         that entry's decision; null when none is on record (not kept with a sync: the sequence names it)
 * @param rectifiedAt     the time of the latest correction (Art. 16) standing in the guest's profile; null when none
 */
public record SyncFacts(int visits, Instant staysChangedAt, Long consentSequence, ConsentDecision consent, Instant rectifiedAt) {

    /** A guest the connector never stored. */
    public static final SyncFacts NEVER_SYNCED = new SyncFacts(0, null, null, null, null);

    /**
     * What a connector decided for a guest, and why: "trigger" (one of its triggers fired), "withdrawal",
     * "rectification", "every trigger", or a skip.
     */
    public record Decision(boolean send, String why) {
    }

    /**
     * The triggers that fired since {@code before} (the facts at the connector's last sync; {@link #NEVER_SYNCED} for a
     * guest it never stored): a guest never synced with a login had a first login, and one whose only fact is a stay
     * had a stay; a visit beyond the first not yet synced is a return visit; a later booking event a stay; another
     * consent entry in force a consent change.
     */
    public Set<SyncTrigger> firedSince(SyncFacts before) {
        EnumSet<SyncTrigger> fired = EnumSet.noneOf(SyncTrigger.class);
        if (before.visits == 0 && visits > 0) {
            fired.add(SyncTrigger.FIRST_LOGIN);
        }
        if (visits > Math.max(before.visits, 1)) {
            fired.add(SyncTrigger.RETURN_VISIT);
        }
        if (staysChangedAt != null && (before.staysChangedAt == null || staysChangedAt.isAfter(before.staysChangedAt))) {
            fired.add(SyncTrigger.STAY);
        }
        if (consentSequence != null && !consentSequence.equals(before.consentSequence)) {
            fired.add(SyncTrigger.CONSENT_CHANGE);
        }
        return fired;
    }

    /** A withdrawal (an objection is one) in force that the connector was not sent yet: it goes whatever the triggers. */
    public boolean withdrawalNotSentSince(SyncFacts before) {
        return consent == ConsentDecision.WITHDRAWN && !Objects.equals(consentSequence, before.consentSequence);
    }

    /**
     * A correction of the profile (Art. 16) newer than the one the connector was last sent: it goes whatever the
     * triggers, since every recipient is told of a rectification (Art. 19).
     */
    public boolean rectificationNotSentSince(SyncFacts before) {
        return rectifiedAt != null && (before.rectifiedAt == null || rectifiedAt.isAfter(before.rectifiedAt));
    }

    /**
     * Whether a connector with {@code triggers} sends the guest now. A connector on every trigger sends every change, as
     * connectors always did; otherwise a withdrawal or a rectification not yet sent goes regardless, and anything else
     * only when one of the connector's triggers fired. (An erasure does not pass here: it reaches every connector
     * through its own step.)
     */
    public Decision decide(Set<SyncTrigger> triggers, SyncFacts before) {
        if (triggers.containsAll(SyncTrigger.ALL)) {
            return new Decision(true, "every trigger");
        }
        if (withdrawalNotSentSince(before)) {
            return new Decision(true, "withdrawal");
        }
        if (rectificationNotSentSince(before)) {
            return new Decision(true, "rectification");
        }
        Set<SyncTrigger> fired = firedSince(before);
        fired.retainAll(triggers);
        return fired.isEmpty() ? new Decision(false, "none of " + SyncTrigger.joined(triggers) + " fired")
                : new Decision(true, "trigger " + SyncTrigger.joined(fired));
    }
}
