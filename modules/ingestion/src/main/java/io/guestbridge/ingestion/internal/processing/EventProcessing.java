package io.guestbridge.ingestion.internal.processing;

import io.guestbridge.audit.api.Actor;
import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditTrail;
import io.guestbridge.consent.api.ConsentDecision;
import io.guestbridge.consent.api.ConsentLedger;
import io.guestbridge.consent.api.ConsentRecord;
import io.guestbridge.consent.api.Wordings;
import io.guestbridge.identity.api.GuestDirectory;
import io.guestbridge.identity.api.GuestId;
import io.guestbridge.identity.api.GuestUpdate;
import io.guestbridge.identity.api.NormalizedEmail;
import io.guestbridge.identity.api.Venues;
import io.guestbridge.ingestion.internal.inbox.BodyRetention;
import io.guestbridge.ingestion.internal.inbox.InboxBodies;
import io.guestbridge.ingestion.internal.inbox.InboxRowsReceived;
import io.guestbridge.ingestion.internal.sources.Source;
import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.WorkItem;
import io.guestbridge.platform.api.WorkQueue;
import io.guestbridge.privacy.api.ErasedSubjects;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional.TxType;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import javax.sql.DataSource;

import static io.guestbridge.platform.api.Jdbc.utc;

/**
 * Turns inbox rows into guest data, each row exactly once: the row is locked, applied through the
 * identity and consent modules, and moved out of RECEIVED in the same transaction, so a crash either
 * leaves it RECEIVED (and it is processed again) or finished (and it is skipped).
 *
 * <p>Each row ends in one state: PROCESSED, DUPLICATE (a sender's retry of an event already
 * processed), QUARANTINED (with the reason an operator can act on) or REFUSED (the subject was erased
 * after the event happened; the payload is discarded).
 */
// plain JDBC, bulk processing a chunk of inbox rows per transaction: bench/processing measures events processed/s against intake
@ApplicationScoped
public class EventProcessing {

    static final String ACTOR = Actor.system("ingestion-processor");

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Inject
    GuestDirectory guests;

    @Inject
    Venues venues;

    @Inject
    ConsentLedger ledger;

    @Inject
    ErasedSubjects erased;

    @Inject
    Wordings wordings;

    @Inject
    AuditTrail trail;

    @Inject
    WorkQueue queue;

    @Inject
    InboxBodies bodies;

    @Inject
    DuplicateKeys duplicateKeys;

    @Inject
    @ConfigProperty(name = "ingestion.dedup.retention-days", defaultValue = "8")
    int dedupRetentionDays;

    /** How each row ended, for the caller's counts. */
    enum Outcome { PROCESSED, DUPLICATE, QUARANTINED, REFUSED, SKIPPED }

    /**
     * A locked inbox row: its body in clear ({@code body}; null when it can no longer be read, with the reason)
     * and as stored ({@code sealed}).
     */
    record Row(long id, String sourceId, byte[] body, String deliveryId, Instant receivedAt, InboxBodies.Sealed sealed,
               String bodySha256, String unreadable) {
    }

    private record SourceInfo(Source.Kind kind, ZoneId zone, String venueRef) {
    }

    private final Map<String, SourceInfo> sourceInfo = new ConcurrentHashMap<>();

    /** Processes these inbox rows (those still RECEIVED) in one transaction. */
    @Transactional(TxType.REQUIRES_NEW)
    public Map<Outcome, Integer> process(List<Long> ids) {
        Map<Outcome, Integer> counts = new HashMap<>();
        for (Row row : inGuestOrder(lock(ids))) {
            counts.merge(apply(row), 1, Integer::sum);
        }
        return counts;
    }

    /**
     * The rows ordered by their guest's email, each guest's rows in arrival order. Workers processing chunks side
     * by side then lock the guests they share in one order and wait for each other instead of deadlocking (a
     * deadlock rolls a whole chunk back to be redone row by row). Rows whose email cannot be read come last.
     */
    private List<Row> inGuestOrder(List<Row> rows) {
        if (rows.size() < 2) {
            return rows;
        }
        Map<Long, String> guestKeys = new HashMap<>();
        for (Row row : rows) {
            guestKeys.put(row.id(), row.body() == null ? null
                    : EventReader.emailOf(source(row.sourceId()).kind(), row.body()).map(NormalizedEmail::value).orElse(null));
        }
        List<Row> ordered = new ArrayList<>(rows);
        ordered.sort(java.util.Comparator.comparing((Row row) -> guestKeys.get(row.id()), java.util.Comparator.nullsLast(
                java.util.Comparator.<String>naturalOrder())).thenComparingLong(Row::id));
        return ordered;
    }

    /**
     * Quarantines a row that failed processing repeatedly with an unexpected error (a bug or a state the
     * code does not handle), so that one bad event does not hold up the rest and an operator sees it.
     */
    @Transactional(TxType.REQUIRES_NEW)
    public void quarantineFailure(long id, String reason) {
        for (Row row : lock(List.of(id))) {
            quarantine(row, "processing failed repeatedly (" + reason + "); replay after a fix", null);
        }
    }

    /** Takes work items off the queue once all their rows are finished, in one transaction. */
    @Transactional(TxType.REQUIRES_NEW)
    public void complete(List<WorkItem> items) {
        items.forEach(queue::complete);
    }

    /**
     * Queues again rows that have waited in RECEIVED far longer than any lease: insurance against a work
     * item lost or dead-lettered while its rows were still unprocessed. Processing twice is harmless
     * (rows are locked and state-checked), so this can only help.
     */
    @Transactional(TxType.REQUIRES_NEW)
    public int requeueStrays(Duration olderThan) {
        List<Long> ids = Jdbc.inConnection(dataSource, "ingestion", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT id FROM ing_inbox WHERE state = 'RECEIVED' AND received_at < ? ORDER BY id LIMIT 256")) {
                s.setObject(1, utc(Instant.now().minus(olderThan)));
                List<Long> found = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        found.add(rs.getLong(1));
                    }
                }
                return found;
            }
        });
        if (!ids.isEmpty()) {
            queue.publish(new InboxRowsReceived(ids), "stray-sweep");
        }
        return ids.size();
    }

    /** Forgets duplicate keys past their retention (bounded per call). */
    @Transactional(TxType.REQUIRES_NEW)
    public int purgeExpiredKeys() {
        return Jdbc.inConnection(dataSource, "ingestion", c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM ing_dedup WHERE expires_at < ? LIMIT 5000")) {
                s.setObject(1, utc(Instant.now()));
                return s.executeUpdate();
            }
        });
    }

    /**
     * Empties the raw bodies of processed rows received before {@code cutoff}, one chunk after {@code mark},
     * with one audit record for the chunk (ids and counts only) in the same transaction.
     */
    @Transactional(TxType.REQUIRES_NEW)
    public BodyRetention.Pass purgeOldBodies(long mark, Instant cutoff, int retentionDays) {
        BodyRetention.Pass pass = Jdbc.inConnection(dataSource, "ingestion", c -> BodyRetention.purgeChunk(c, mark, cutoff));
        if (pass.purged() > 0) {
            trail.record(AuditEvent.of("ingestion", "RAW_BODIES_PURGED").by(ACTOR).about("inbox:" + pass.firstId() + ".." + pass.lastId())
                    .with("rows", String.valueOf(pass.purged())).with("retentionDays", String.valueOf(retentionDays)).build());
        }
        return pass;
    }

    /**
     * Seals the bodies still needed under {@code day}'s key again under today's, with an audit record, so the
     * caller can destroy that key once this commits.
     */
    @Transactional(TxType.REQUIRES_NEW)
    public int resealBeforeDayKeyEnds(java.time.LocalDate day) {
        int moved = Jdbc.inConnection(dataSource, "ingestion", c -> BodyRetention.resealDay(c, bodies, day, InboxBodies.day(Instant.now())));
        trail.record(AuditEvent.of("ingestion", "RAW_BODIES_DAY_KEY_ENDING").by(ACTOR).about("inbox-day:" + day)
                .with("resealed", String.valueOf(moved)).build());
        return moved;
    }

    /** Seals a chunk of the bodies an earlier version stored in clear; 0 when none is left. */
    @Transactional(TxType.REQUIRES_NEW)
    public int sealClearBodies(Instant cutoff) {
        int handled = Jdbc.inConnection(dataSource, "ingestion", c -> BodyRetention.sealClearChunk(c, bodies, cutoff, InboxBodies.day(Instant.now())));
        if (handled > 0) {
            trail.record(AuditEvent.of("ingestion", "RAW_BODIES_SEALED").by(ACTOR).about("inbox")
                    .with("rows", String.valueOf(handled)).build());
        }
        return handled;
    }

    private Outcome apply(Row row) {
        if (row.body() == null) {
            quarantine(row, row.unreadable(), null);
            return Outcome.QUARANTINED;
        }
        SourceInfo source = source(row.sourceId());
        EventReader.Origin origin = new EventReader.Origin(row.sourceId(), source.zone(), source.venueRef(), row.deliveryId(), row.id(),
                row.receivedAt(), Instant.now());
        GuestEvent event;
        try {
            var body = EventReader.parseObject(row.body());
            event = switch (source.kind()) {
                case PURPLE -> EventReader.purple(body, origin);
                case GENERIC -> EventReader.generic(body, origin);
                case BOOKING -> EventReader.booking(body, origin);
            };
        } catch (GuestEvent.Unusable unusable) {
            quarantine(row, unusable.getMessage(), EventReader.emailOf(source.kind(), row.body()).orElse(null));
            return Outcome.QUARANTINED;
        }
        if (erased.refuses(event.email(), event.occurredAt())) {
            refuse(row);
            return Outcome.REFUSED;
        }
        if (!claim(event.dedupKey(), row)) {
            finish(row, "DUPLICATE", null, null, null, true);
            return Outcome.DUPLICATE;
        }
        String actor = "source:" + row.sourceId();
        Optional<Venues.Venue> venue = event.venue().map(v -> venues.ensure(v.ref(), v.name(), source.zone()));
        List<ResolvedClaim> consents = new ArrayList<>();
        for (GuestEvent.ConsentClaim claim : event.consents()) {
            Optional<ResolvedClaim> resolved = ResolvedClaim.of(claim, venue.orElse(null));
            if (resolved.isPresent() && resolved.get().needsPublishedWording()
                    && wordings.find(resolved.get().wordingId(), resolved.get().wordingVersion()).isEmpty()) {
                // nothing is written for this event: publish the wording, then replay it from quarantine
                quarantine(row, "consent wording " + resolved.get().wordingId() + " version " + resolved.get().wordingVersion()
                        + " is not published; publish it (POST /api/v1/consent/wordings) and replay", event.email());
                return Outcome.QUARANTINED;
            }
            resolved.ifPresent(consents::add);
        }
        GuestId guest = guests.resolve(event.email(), event.source(), event.occurredAt(), actor);
        Optional<GuestUpdate.Visit> visit = venue.map(v -> new GuestUpdate.Visit(v, event.occurredAt(),
                event.venue().get().dwellMinutes(), event.venue().get().zone()));
        guests.update(guest, new GuestUpdate(event.observations(), visit, event.device(), event.stay().map(GuestEvent.StaySeen::stay)), actor);
        for (ResolvedClaim claim : consents) {
            ledger.append(claim.record(guest, venue.orElse(null), event, source), actor);
        }
        finish(row, "PROCESSED", null, guest.value(), guests.subjectIndex(event.email()), false, sealedFor(row, guest));
        return Outcome.PROCESSED;
    }

    /**
     * A consent claim with its wording settled: the one the source named, else the one the venue's
     * portal is configured with. A grant without any wording is recorded as INVALID (it cannot be
     * proven); a terms acceptance without one is not recorded at all (it is implied by the login).
     */
    private record ResolvedClaim(GuestEvent.ConsentClaim claim, ConsentDecision decision, String wordingId, String wordingVersion,
                                 Map<String, String> evidence) {

        static Optional<ResolvedClaim> of(GuestEvent.ConsentClaim c, Venues.Venue venue) {
            String wordingId = c.wordingId();
            String wordingVersion = c.wordingVersion();
            if (wordingId == null && venue != null) {
                Venues.Wording configured = "terms".equals(c.purpose()) ? venue.terms() : c.purpose().startsWith("marketing") ? venue.marketing() : null;
                if (configured != null) {
                    wordingId = configured.id();
                    wordingVersion = configured.version();
                }
            }
            Map<String, String> evidence = new HashMap<>(c.evidence());
            ConsentDecision decision = c.decision();
            if (decision == ConsentDecision.GRANTED && (wordingId == null || wordingVersion == null)) {
                if ("terms".equals(c.purpose())) {
                    return Optional.empty();
                }
                decision = ConsentDecision.INVALID;
                evidence.put("invalidBecause", "no wording named by the source or configured for the venue");
            }
            return Optional.of(new ResolvedClaim(c, decision, wordingId, wordingVersion, evidence));
        }

        boolean needsPublishedWording() {
            return decision == ConsentDecision.GRANTED;
        }

        ConsentRecord record(GuestId guest, Venues.Venue venue, GuestEvent event, SourceInfo source) {
            String channel = switch (source.kind()) {
                case PURPLE, GENERIC -> "captive-portal:" + (venue != null ? venue.ref() : "unknown")
                        + (event.venue().map(GuestEvent.VenueSeen::zone).map(z -> "/" + z).orElse(""));
                case BOOKING -> "booking:" + event.stay().map(s -> s.stay().sourceId()).orElse("unknown");
            };
            return new ConsentRecord(guest, claim.purpose(), decision, wordingId, wordingVersion, event.occurredAt(),
                    channel.length() > 200 ? channel.substring(0, 200) : channel, evidence, claim.preTicked(), claim.bundled());
        }
    }

    /**
     * Claims the event's duplicate key for this row; false when another row already holds it. The key is stored
     * keyed ({@link DuplicateKeys}): a Purple login's key is made of the guest's email, venue and login time, which
     * a plain hash would let anyone holding the table confirm by guessing. Keys stored plain before that are
     * still honoured until they expire.
     */
    private boolean claim(String eventKey, Row row) {
        String key = duplicateKeys.stored(eventKey);
        return Jdbc.inConnection(dataSource, "ingestion", c -> {
            if (duplicateKeys.plainKeysMayRemain(c)) {
                try (PreparedStatement s = c.prepareStatement("SELECT inbox_id FROM ing_dedup WHERE dedup_key = ?")) {
                    s.setString(1, eventKey);
                    try (ResultSet rs = s.executeQuery()) {
                        if (rs.next() && rs.getLong(1) != row.id()) {
                            return false;
                        }
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement("INSERT IGNORE INTO ing_dedup (dedup_key, inbox_id, expires_at) VALUES (?, ?, ?)")) {
                s.setString(1, key);
                s.setLong(2, row.id());
                s.setObject(3, utc(row.receivedAt().plus(Duration.ofDays(Math.max(7, dedupRetentionDays)))));
                if (s.executeUpdate() == 1) {
                    return true;
                }
            }
            try (PreparedStatement s = c.prepareStatement("SELECT inbox_id FROM ing_dedup WHERE dedup_key = ?")) {
                s.setString(1, key);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() && rs.getLong(1) == row.id(); // a replay of the row that holds the key
                }
            }
        });
    }

    private void quarantine(Row row, String reason, NormalizedEmail email) {
        finish(row, "QUARANTINED", reason, null, email == null ? null : guests.subjectIndex(email), false);
        trail.record(AuditEvent.of("ingestion", "EVENT_QUARANTINED").by(ACTOR).about("inbox:" + row.id())
                .with("source", row.sourceId()).with("reason", reason).build());
    }

    private void refuse(Row row) {
        finish(row, "REFUSED", "the data subject was erased after this event happened; payload discarded", null, null, true);
        trail.record(AuditEvent.of("ingestion", "EVENT_REFUSED_ERASED_SUBJECT").by(ACTOR).about("inbox:" + row.id())
                .with("source", row.sourceId()).build());
    }

    /**
     * The body of a row that became the guest's data, sealed again under the guest's key (on top of its day
     * key): erasing the guest then shreds it, in this database and in its backups. A body stored in clear by an
     * earlier version is sealed under today's key first. Empty (an empty body) if the guest's key is gone.
     */
    private InboxBodies.Sealed sealedFor(Row row, GuestId guest) {
        InboxBodies.Sealed daySealed = row.sealed().keyRef() == null
                ? bodies.seal(row.sourceId(), row.bodySha256(), row.body(), InboxBodies.day(Instant.now()))
                : row.sealed();
        return bodies.forGuest(row.id(), guest, daySealed).orElse(new InboxBodies.Sealed(new byte[0], null));
    }

    private void finish(Row row, String state, String reason, String guestId, String subjectIndex, boolean discardBody) {
        finish(row, state, reason, guestId, subjectIndex, discardBody, null);
    }

    private void finish(Row row, String state, String reason, String guestId, String subjectIndex, boolean discardBody, InboxBodies.Sealed body) {
        Jdbc.inConnection(dataSource, "ingestion", c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE ing_inbox SET state = ?, reason = ?, guest_id = ?, subject_index = ?, "
                    + "processed_at = ?" + (discardBody ? ", body = '', body_key = NULL" : body != null ? ", body = ?, body_key = ?" : "")
                    + " WHERE id = ?")) {
                int p = 1;
                s.setString(p++, state);
                s.setString(p++, reason == null ? null : reason.length() > 500 ? reason.substring(0, 500) : reason);
                s.setString(p++, guestId);
                s.setString(p++, subjectIndex);
                s.setObject(p++, utc(Instant.now()));
                if (!discardBody && body != null) {
                    s.setBytes(p++, body.body());
                    s.setString(p++, body.keyRef());
                }
                s.setLong(p, row.id());
                return s.executeUpdate();
            }
        });
    }

    private List<Row> lock(List<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return Jdbc.inConnection(dataSource, "ingestion", c -> {
            String marks = ids.stream().map(id -> "?").collect(Collectors.joining(","));
            try (PreparedStatement s = c.prepareStatement("SELECT id, source_id, body, delivery_id, received_at, body_key, body_sha256 "
                    + "FROM ing_inbox WHERE id IN (" + marks + ") AND state = 'RECEIVED' ORDER BY id FOR UPDATE")) {
                for (int i = 0; i < ids.size(); i++) {
                    s.setLong(i + 1, ids.get(i));
                }
                List<Row> rows = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        long id = rs.getLong(1);
                        String sourceId = rs.getString(2);
                        InboxBodies.Sealed stored = new InboxBodies.Sealed(rs.getBytes(3), rs.getString(6));
                        String sha256 = rs.getString(7);
                        byte[] body = null;
                        String unreadable = null;
                        try {
                            body = bodies.open(id, sourceId, sha256, stored.body(), stored.keyRef(), null);
                        } catch (InboxBodies.Unreadable e) {
                            unreadable = e.getMessage();
                        }
                        rows.add(new Row(id, sourceId, body, rs.getString(4), rs.getObject(5, LocalDateTime.class).toInstant(ZoneOffset.UTC),
                                stored, sha256, unreadable));
                    }
                }
                return rows;
            }
        });
    }

    private SourceInfo source(String id) {
        return sourceInfo.computeIfAbsent(id, key -> Jdbc.inConnection(dataSource, "ingestion", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT kind, time_zone, venue_ref FROM ing_source WHERE id = ?")) {
                s.setString(1, key);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        throw new SQLException("inbox row of an unknown source");
                    }
                    return new SourceInfo(Source.Kind.valueOf(rs.getString(1)), ZoneId.of(rs.getString(2)), rs.getString(3));
                }
            }
        }));
    }
}
