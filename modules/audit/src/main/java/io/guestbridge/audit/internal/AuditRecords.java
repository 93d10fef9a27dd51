package io.guestbridge.audit.internal;

import io.guestbridge.audit.api.AuditReader;
import io.guestbridge.tlog.ChainVerifier;
import io.guestbridge.tlog.Checkpoint;
import io.guestbridge.tlog.LogBreak;
import io.guestbridge.tlog.LogVerifier;
import io.guestbridge.tlog.NoteKey;
import io.guestbridge.platform.api.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads the trail for compliance: filtered pages in sequence order, one record, and verification. */
@ApplicationScoped
public class AuditRecords {

    private static final int VERIFY_PAGE = 2000;

    @PersistenceContext(unitName = "audit")
    EntityManager em;

    @Inject
    AuditLogKey logKey;

    /** One page and the cursor of the next, null at the end. */
    public record Page(List<AuditRecord> records, String nextCursor) {
    }

    public Page find(AuditReader.Filter filter, String cursor, int limit) {
        long after = decodeCursor(cursor);
        StringBuilder jpql = new StringBuilder("SELECT r FROM AuditRecord r WHERE r.seq > :after");
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("after", after);
        oneOf(jpql, parameters, "r.subjectRef", "subject", filter.subjects());
        oneOf(jpql, parameters, "r.actor", "actor", filter.actors());
        oneOf(jpql, parameters, "r.action", "action", filter.actions());
        oneOf(jpql, parameters, "r.module", "module", filter.modules());
        condition(jpql, parameters, "r.occurredAt >= :from", "from", filter.from());
        condition(jpql, parameters, "r.occurredAt < :to", "to", filter.to());
        jpql.append(" ORDER BY r.seq");
        TypedQuery<AuditRecord> query = em.createQuery(jpql.toString(), AuditRecord.class).setMaxResults(limit + 1);
        parameters.forEach(query::setParameter);
        List<AuditRecord> rows = new ArrayList<>(query.getResultList());
        String next = null;
        if (rows.size() > limit) {
            rows = rows.subList(0, limit);
            next = encodeCursor(rows.get(rows.size() - 1).seq());
        }
        return new Page(rows, next);
    }

    /**
     * The latest numbered record of an action (the action's index, read backwards: one row however long the trail); a
     * record still waiting for its number in {@code aud_pending} is not in the log yet.
     */
    public Optional<AuditRecord> latest(String action) {
        return em.createQuery("SELECT r FROM AuditRecord r WHERE r.action = :action ORDER BY r.seq DESC", AuditRecord.class)
                .setParameter("action", action).setMaxResults(1).getResultStream().findFirst();
    }

    /** The sequence of the last chained record; 0 for an empty trail. */
    public long headSequence() {
        AuditChainHead head = em.find(AuditChainHead.class, AuditChainHead.ID);
        return head == null ? 0 : head.lastSeq();
    }

    public Optional<AuditRecord> find(long sequence) {
        return em.createQuery("SELECT r FROM AuditRecord r WHERE r.seq = :seq", AuditRecord.class).setParameter("seq", sequence)
                .getResultStream().findFirst();
    }

    /**
     * Verifies the log up to its current head, page by page so a long trail is not loaded at once: the hash
     * chain record by record, and the Merkle tree recomputed from the records against every signed
     * checkpoint (those the database holds, whose signatures are checked, and {@code witnessed}, one the
     * caller kept outside it). Reports the earliest record that does not hold.
     */
    public ChainVerification verify(Optional<Checkpoint> witnessed) {
        AuditChainHead head = em.find(AuditChainHead.class, AuditChainHead.ID);
        long headSeq = head.lastSeq();
        String headHash = head.lastHash();
        ChainVerifier chain = new ChainVerifier();
        LogVerifier log = new LogVerifier();
        witnessed.ifPresent(checkpoint -> log.expect(checkpoint.size(), checkpoint.rootHash()));
        Optional<NoteKey> key = logKey.signer();
        boolean chainHolds = true;
        boolean logHolds = true;
        long after = 0;
        while (chainHolds || logHolds) {
            List<AuditRecord> page = em.createQuery(
                            "SELECT r FROM AuditRecord r WHERE r.seq > :after AND r.seq <= :head ORDER BY r.seq", AuditRecord.class)
                    .setParameter("after", after).setParameter("head", headSeq)
                    .setMaxResults(VERIFY_PAGE).getResultList();
            boolean last = page.size() < VERIFY_PAGE;
            // up to the head read above: the sequencer may sign larger trees while this runs
            long from = after;
            key.ifPresent(k -> expectCheckpoints(log, k, from, last ? headSeq : page.get(page.size() - 1).seq()));
            for (AuditRecord record : page) {
                chainHolds = chainHolds && chain.accept(record.entry(), record.hash());
                logHolds = logHolds && log.accept(record.seq(), record.leafEntry());
                after = record.seq();
            }
            em.clear();
            if (last) {
                break;
            }
        }
        LogBreak chainBreak = chain.result(headSeq, headHash);
        LogBreak logBreak = log.firstBreak();
        LogBreak first = chainBreak;
        // the chain names a record exactly; the tree, when its checkpoints are apart, a range: the earlier finding wins,
        // and within the tree's range the chain's exact record
        if (logBreak != null && (first == null || log.brokenUpTo() < first.sequence())) {
            first = logBreak;
        }
        return new ChainVerification(first == null, chain.checked(), headSeq, log.checkpointsChecked(),
                first == null ? null : new ChainVerification.Break(first.sequence(), first.reason()));
    }

    /** The stored checkpoints of tree sizes in (from, to], each only once its signature by the log's key holds. */
    private void expectCheckpoints(LogVerifier log, NoteKey key, long from, long to) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT tree_size, note FROM aud_checkpoint WHERE tree_size > ? AND tree_size <= ? ORDER BY tree_size")
                .setParameter(1, from).setParameter(2, to).getResultList();
        for (Object[] row : rows) {
            long size = ((Number) row[0]).longValue();
            Optional<String> text = key.open((String) row[1]);
            Optional<Checkpoint> checkpoint = text.flatMap(AuditRecords::parse).filter(c -> c.size() == size && c.origin().equals(key.name()));
            if (checkpoint.isPresent()) {
                log.expect(size, checkpoint.get().rootHash());
            } else {
                log.forged(size);
            }
        }
    }

    private static Optional<Checkpoint> parse(String text) {
        try {
            return Optional.of(Checkpoint.parse(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * One value is an equality, several an IN list: each field's index leads with the field and then the sequence, so one
     * value reads one range already in sequence order, and several read one range per value and sort what they found
     * (the matches, never the table); for values that match much of the trail (three modules of twelve) MariaDB walks the
     * sequence index instead and stops at the page's end. AuditFilterPlanTest holds MariaDB's plans to that.
     */
    private static void oneOf(StringBuilder jpql, Map<String, Object> parameters, String path, String name, List<String> values) {
        if (values.size() == 1) {
            jpql.append(" AND ").append(path).append(" = :").append(name);
            parameters.put(name, values.get(0));
        } else if (values.size() > 1) {
            jpql.append(" AND ").append(path).append(" IN :").append(name);
            parameters.put(name, values);
        }
    }

    private static void condition(StringBuilder jpql, Map<String, Object> parameters, String clause, String name, Object value) {
        if (value != null && !(value instanceof String s && s.isBlank())) {
            jpql.append(" AND ").append(clause);
            parameters.put(name, value);
        }
    }

    static String encodeCursor(long seq) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("after:" + seq).getBytes(StandardCharsets.US_ASCII));
    }

    static long decodeCursor(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return 0;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor.trim()), StandardCharsets.US_ASCII);
            if (text.startsWith("after:")) {
                return Long.parseLong(text.substring("after:".length()));
            }
        } catch (IllegalArgumentException notACursor) {
            // fall through
        }
        throw ProblemException.invalid("cursor is not one this server handed out; use the nextCursor of the previous page, or omit it to start at the beginning");
    }
}
