package io.guestbridge.audit.internal;

import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditReader;
import io.guestbridge.audit.api.AuditTrail;
import io.guestbridge.platform.api.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.guestbridge.tlog.Checkpoint;

import java.util.Optional;

/**
 * {@link AuditReader} on what the audit API's {@link AuditResource} calls ({@link AuditRecords}), so the console
 * and the API find and verify the same way.
 */
@ApplicationScoped
public class AuditReaderDesk implements AuditReader {

    @Inject
    AuditRecords records;

    @Inject
    AuditTrail trail;

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public Page find(Filter filter, String cursor, int limit) {
        if (limit < 1 || limit > 1000) {
            throw ProblemException.invalid("limit must be 1 to 1000");
        }
        AuditRecords.Page page = records.find(filter, cursor, limit);
        return new Page(page.records().stream().map(AuditReaderDesk::entry).toList(), page.nextCursor());
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public ChainStatus status() {
        return new ChainStatus(records.headSequence(), records.latest("AUDIT_CHAIN_VERIFIED").map(AuditReaderDesk::entry).orElse(null));
    }

    private static Entry entry(AuditRecord record) {
        AuditRecordView v = AuditRecordView.of(record);
        return new Entry(v.sequence(), v.occurredAt(), v.actor(), v.action(), v.module(), v.subject(), v.details(), v.previousHash(), v.hash());
    }

    @Override
    @Transactional
    public Verification verify(String actor) {
        ChainVerification result = verified(Optional.empty(), actor);
        return new Verification(result.intact(), result.checkedRecords(), result.headSequence(),
                result.firstBroken() == null ? null : result.firstBroken().sequence(),
                result.firstBroken() == null ? null : result.firstBroken().reason());
    }

    /**
     * Verifies the records (against a checkpoint someone kept, if given) and records that {@code actor} did:
     * the one way the API and the console verify, so both leave the same AUDIT_CHAIN_VERIFIED record.
     */
    @Transactional
    ChainVerification verified(Optional<Checkpoint> witnessed, String actor) {
        ChainVerification result = records.verify(witnessed);
        AuditEvent.Builder event = AuditEvent.of("audit", "AUDIT_CHAIN_VERIFIED").by(actor)
                .with("intact", result.intact())
                .with("checkedRecords", result.checkedRecords())
                .with("headSequence", result.headSequence())
                .with("checkpointsChecked", result.checkpointsChecked());
        witnessed.ifPresent(checkpoint -> event.with("witnessedTreeSize", checkpoint.size()));
        if (result.firstBroken() != null) {
            event.with("firstBrokenSequence", result.firstBroken().sequence());
        }
        trail.record(event.build());
        return result;
    }
}
