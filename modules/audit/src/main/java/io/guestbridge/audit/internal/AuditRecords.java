package io.guestbridge.audit.internal;

import io.guestbridge.platform.api.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
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

    /** What a compliance officer filters by; every field is optional. */
    public record Filter(String subject, String actor, String action, String module, Instant from, Instant to) {
    }

    /** One page and the cursor of the next, null at the end. */
    public record Page(List<AuditRecord> records, String nextCursor) {
    }

    public Page find(Filter filter, String cursor, int limit) {
        long after = decodeCursor(cursor);
        StringBuilder jpql = new StringBuilder("SELECT r FROM AuditRecord r WHERE r.seq > :after");
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("after", after);
        condition(jpql, parameters, "r.subjectRef = :subject", "subject", filter.subject());
        condition(jpql, parameters, "r.actor = :actor", "actor", filter.actor());
        condition(jpql, parameters, "r.action = :action", "action", filter.action());
        condition(jpql, parameters, "r.module = :module", "module", filter.module());
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

    public Optional<AuditRecord> find(long sequence) {
        return em.createQuery("SELECT r FROM AuditRecord r WHERE r.seq = :seq", AuditRecord.class).setParameter("seq", sequence)
                .getResultStream().findFirst();
    }

    /** Verifies the chain up to its current head, page by page so a long trail is not loaded at once. */
    public ChainVerification verify() {
        AuditChainHead head = em.find(AuditChainHead.class, AuditChainHead.ID);
        long headSeq = head.lastSeq();
        String headHash = head.lastHash();
        ChainVerifier verifier = new ChainVerifier();
        long after = 0;
        while (true) {
            List<AuditRecord> page = em.createQuery(
                            "SELECT r FROM AuditRecord r WHERE r.seq > :after AND r.seq <= :head ORDER BY r.seq", AuditRecord.class)
                    .setParameter("after", after).setParameter("head", headSeq)
                    .setMaxResults(VERIFY_PAGE).getResultList();
            for (AuditRecord record : page) {
                if (!verifier.accept(record)) {
                    return verifier.result(headSeq, headHash);
                }
                after = record.seq();
            }
            em.clear();
            if (page.size() < VERIFY_PAGE) {
                return verifier.result(headSeq, headHash);
            }
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
