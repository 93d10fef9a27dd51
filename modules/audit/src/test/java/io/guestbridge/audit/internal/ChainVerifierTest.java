package io.guestbridge.audit.internal;

import io.guestbridge.tlog.ChainVerifier;
import io.guestbridge.tlog.LogBreak;
import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.tlog.ChainVerifier;
import io.guestbridge.tlog.LogBreak;
import org.junit.jupiter.api.Test;

import io.guestbridge.tlog.ChainVerifier;
import io.guestbridge.tlog.LogBreak;
import java.time.Instant;
import io.guestbridge.tlog.ChainVerifier;
import io.guestbridge.tlog.LogBreak;
import java.util.ArrayList;
import io.guestbridge.tlog.ChainVerifier;
import io.guestbridge.tlog.LogBreak;
import java.util.List;
import io.guestbridge.tlog.ChainVerifier;
import io.guestbridge.tlog.LogBreak;
import java.util.Map;

import io.guestbridge.tlog.ChainVerifier;
import io.guestbridge.tlog.LogBreak;
import static org.junit.jupiter.api.Assertions.assertEquals;
import io.guestbridge.tlog.ChainVerifier;
import io.guestbridge.tlog.LogBreak;
import static org.junit.jupiter.api.Assertions.assertFalse;
import io.guestbridge.tlog.ChainVerifier;
import io.guestbridge.tlog.LogBreak;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import io.guestbridge.tlog.ChainVerifier;
import io.guestbridge.tlog.LogBreak;
import static org.junit.jupiter.api.Assertions.assertNull;
import io.guestbridge.tlog.ChainVerifier;
import io.guestbridge.tlog.LogBreak;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChainVerifierTest {

    private static List<AuditRecord> chain(int n) {
        List<AuditRecord> records = new ArrayList<>();
        String prev = AuditRecord.GENESIS;
        for (int i = 1; i <= n; i++) {
            AuditEvent event = AuditEvent.of("consent", "CONSENT_GRANTED").by("system:test")
                    .about("guest:g-" + i).with("purpose", "marketing_email").with("n", i).build();
            AuditRecord record = AuditRecord.following(i, prev, event, Instant.parse("2026-11-25T08:00:00.123456789Z").plusSeconds(i));
            records.add(record);
            prev = record.hash();
        }
        return records;
    }

    private static ChainVerification verify(List<AuditRecord> records, long headSeq, String headHash) {
        ChainVerifier verifier = new ChainVerifier();
        for (AuditRecord record : records) {
            if (!verifier.accept(record.entry(), record.hash())) {
                break;
            }
        }
        LogBreak broken = verifier.result(headSeq, headHash);
        return new ChainVerification(broken == null, verifier.checked(), headSeq,
                broken == null ? null : new ChainVerification.Break(broken.sequence(), broken.reason()));
    }

    @Test
    void anUntouchedChainIsIntact() {
        List<AuditRecord> records = chain(50);
        ChainVerification result = verify(records, 50, records.get(49).hash());
        assertTrue(result.intact());
        assertEquals(50, result.checkedRecords());
        assertNull(result.firstBroken());
    }

    @Test
    void aChangedRecordIsNamed() {
        List<AuditRecord> records = chain(10);
        AuditRecord original = records.get(6);
        AuditRecord forged = new AuditRecord(original.seq(), original.occurredAt(), original.actor(), "CONSENT_WITHDRAWN",
                original.module(), original.subjectRef(), original.detailsJson(), original.prevHash());
        // a forger who keeps the old hash is caught by the content check
        records.set(6, withHash(forged, original.hash()));
        ChainVerification result = verify(records, 10, records.get(9).hash());
        assertFalse(result.intact());
        assertEquals(7, result.firstBroken().sequence());
        assertEquals(6, result.checkedRecords());
    }

    @Test
    void aRecomputedForgeryBreaksTheNextLink() {
        List<AuditRecord> records = chain(10);
        AuditRecord original = records.get(3);
        AuditRecord forged = new AuditRecord(original.seq(), original.occurredAt(), original.actor(), original.action(),
                original.module(), original.subjectRef(), "{\"purpose\":\"analytics\"}", original.prevHash());
        records.set(3, forged);
        ChainVerification result = verify(records, 10, records.get(9).hash());
        assertEquals(5, result.firstBroken().sequence(), "record 4 checks out by itself, record 5 no longer links to it");
    }

    @Test
    void aRemovedRecordAndATruncatedTailAreFound() {
        List<AuditRecord> records = chain(10);
        String head = records.get(9).hash();
        List<AuditRecord> withoutFour = new ArrayList<>(records);
        withoutFour.remove(3);
        assertEquals(4, verify(withoutFour, 10, head).firstBroken().sequence());

        List<AuditRecord> truncated = records.subList(0, 8);
        ChainVerification result = verify(truncated, 10, head);
        assertFalse(result.intact());
        assertEquals(9, result.firstBroken().sequence());
    }

    @Test
    void hashesDependOnEveryField() {
        AuditRecord a = chain(1).get(0);
        AuditRecord b = new AuditRecord(a.seq(), a.occurredAt(), "system:other", a.action(), a.module(), a.subjectRef(),
                a.detailsJson(), a.prevHash());
        assertNotEquals(a.hash(), b.hash());
        assertEquals(Map.of("n", "1", "purpose", "marketing_email"), a.details());
    }

    private static AuditRecord withHash(AuditRecord record, String hash) {
        try {
            var field = AuditRecord.class.getDeclaredField("hash");
            field.setAccessible(true);
            field.set(record, hash);
            return record;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
