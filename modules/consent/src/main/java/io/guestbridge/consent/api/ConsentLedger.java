package io.guestbridge.consent.api;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import io.guestbridge.identity.api.GuestId;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The consent module's front door: an append-only, hash-chained ledger of decisions. The current state
 * of a purpose is the latest decision by the time it was captured at the source, so late and
 * out-of-order arrivals cannot resurrect a withdrawn consent. Appending joins the caller's transaction,
 * is audited, and queues the guest for CRM sync (marketing flags follow consent).
 */
public interface ConsentLedger {

    /** Appends a decision; returns its sequence number. */
    long append(ConsentRecord record, String actor);

    /**
     * Appends many decisions, in their order, as {@link #append} one after the other would (each audited); returns
     * their sequence numbers in that order. The container writes them set-wise: a few statements for all of them.
     * All are recorded by {@code actors}' entry of the same index.
     */
    default List<Long> appendAll(List<ConsentRecord> records, List<String> actors) {
        List<Long> seqs = new java.util.ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            seqs.add(append(records.get(i), actors.get(i)));
        }
        return seqs;
    }

    /** The decision in force for a purpose now, if any was recorded. */
    Optional<ConsentDecision> current(GuestId guest, String purpose);

    /** The decision in force for a purpose, for many guests at once (CRM batches); guests without one are absent. */
    Map<GuestId, ConsentDecision> current(List<GuestId> guests, String purpose);

    /**
     * The decision in force for a purpose with its proof (capture time, wording, channel), for many guests at once;
     * guests without one are absent.
     */
    Map<GuestId, Entry> inForce(List<GuestId> guests, String purpose);

    /** Whether the purpose was permitted at that moment (a GRANTED decision in force then). */
    boolean permits(GuestId guest, String purpose, Instant at);

    /**
     * The guests whose decision in force for the purpose is a grant now, a page at a time in guest id order: those
     * among the next {@code limit} guests after {@code after} (null to start) who ever granted it. {@link Permitted#next}
     * is where the following page starts, null after the last; a page may hold fewer guests than the limit, or none.
     */
    Permitted permitted(String purpose, String after, int limit);

    /** A page of {@link #permitted}. */
    record Permitted(List<GuestId> guests, String next) {
    }

    /** Every decision of the guest, in the order they were captured. */
    List<Entry> history(GuestId guest);

    /** A ledger row as stored. */
    @Schema(name = "ConsentEntry", requiredProperties = {"sequence", "purpose", "decision", "capturedAt", "recordedAt", "channel", "evidence", "hash"})
    record Entry(@Schema(type = SchemaType.INTEGER, format = "int64") long sequence, String purpose, ConsentDecision decision, String wordingId, String wordingVersion,
                 Instant capturedAt, Instant recordedAt, String channel, Map<String, String> evidence, String hash) {
    }
}
