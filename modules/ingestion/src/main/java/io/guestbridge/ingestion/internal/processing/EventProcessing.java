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
import io.guestbridge.platform.api.DataKey;
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
import java.time.ZoneId;
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

    /** An inbox row read as an event of its source. */
    private record Parsed(Row row, SourceInfo source, GuestEvent event) {
    }

    /** An event to apply: its venue and its consent claims settled. */
    private record Ready(Parsed parsed, Optional<Venues.Venue> venue, List<ResolvedClaim> consents, String actor) {
    }

    /**
     * Processes these inbox rows (those still RECEIVED) in one transaction, set-wise: each step (the erased-subject
     * check, the duplicate keys, the guests, their updates, the consent rows, the rows' final state) is a few
     * statements for the whole chunk, not a few per event, and each event still gets its own audit records. The
     * outcome of every row is the one processing the rows one after the other in this order would give.
     */
    @Transactional(TxType.REQUIRES_NEW)
    public Map<Outcome, Integer> process(List<Long> ids) {
        return processInTransaction(ids);
    }

    /**
     * {@link #process} of a claimed batch's last chunk, taking the batch's work items off the queue in the same
     * transaction: one commit fewer per batch, and the items go exactly when their last rows are finished.
     */
    @Transactional(TxType.REQUIRES_NEW)
    public Map<Outcome, Integer> processAndComplete(List<Long> ids, List<WorkItem> items) {
        Map<Outcome, Integer> counts = processInTransaction(ids);
        items.forEach(queue::complete);
        return counts;
    }

    private Map<Outcome, Integer> processInTransaction(List<Long> ids) {
        // the chunk's values sealed and opened in runs under one key (the day's key for the bodies, then each guest's for its
        // fields, in turn) expand each key once per run instead of twice per value: the key schedules were a tenth of a
        // worker's CPU
        return DataKey.inOneUse(() -> processChunk(ids));
    }

    private Map<Outcome, Integer> processChunk(List<Long> ids) {
        Map<Outcome, Integer> counts = new HashMap<>();
        List<Parsed> parsed = new ArrayList<>();
        for (Row row : lock(ids)) {
            Optional<Parsed> read = read(row);
            if (read.isPresent()) {
                parsed.add(read.get());
            } else {
                counts.merge(Outcome.QUARANTINED, 1, Integer::sum);
            }
        }
        if (parsed.isEmpty()) {
            return counts;
        }
        // by the guest's email, each guest's rows in arrival order: workers processing chunks side by side then lock the
        // guests they share in one order and wait for each other instead of deadlocking (a deadlock rolls a whole chunk
        // back to be redone row by row)
        parsed.sort(java.util.Comparator.comparing((Parsed p) -> p.event().email().value()).thenComparingLong(p -> p.row().id()));
        Map<NormalizedEmail, Instant> erasedAt = erased.erasedAtAll(parsed.stream().map(p -> p.event().email()).toList());
        List<Parsed> allowed = new ArrayList<>();
        for (Parsed p : parsed) {
            Instant erasure = erasedAt.get(p.event().email());
            if (erasure != null && !p.event().occurredAt().isAfter(erasure)) {
                refuse(p.row());
                counts.merge(Outcome.REFUSED, 1, Integer::sum);
            } else {
                allowed.add(p);
            }
        }
        List<Boolean> claimed = claimAll(allowed);
        List<Ready> ready = new ArrayList<>();
        for (int i = 0; i < allowed.size(); i++) {
            Parsed p = allowed.get(i);
            if (!claimed.get(i)) {
                finish(p.row(), "DUPLICATE", null, null, null, true);
                counts.merge(Outcome.DUPLICATE, 1, Integer::sum);
                continue;
            }
            Optional<Ready> settled = settle(p);
            if (settled.isPresent()) {
                ready.add(settled.get());
            } else {
                counts.merge(Outcome.QUARANTINED, 1, Integer::sum);
            }
        }
        if (!ready.isEmpty()) {
            apply(ready);
            counts.merge(Outcome.PROCESSED, ready.size(), Integer::sum);
        }
        return counts;
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

    /** The row's event; empty when the row was quarantined instead (unreadable, or not a usable event). */
    private Optional<Parsed> read(Row row) {
        if (row.body() == null) {
            quarantine(row, row.unreadable(), null);
            return Optional.empty();
        }
        SourceInfo source = source(row.sourceId());
        EventReader.Origin origin = new EventReader.Origin(row.sourceId(), source.zone(), source.venueRef(), row.deliveryId(), row.id(),
                row.receivedAt(), Instant.now());
        try {
            var body = EventReader.parseObject(row.body());
            return Optional.of(new Parsed(row, source, switch (source.kind()) {
                case PURPLE -> EventReader.purple(body, origin);
                case GENERIC -> EventReader.generic(body, origin);
                case BOOKING -> EventReader.booking(body, origin);
            }));
        } catch (GuestEvent.Unusable unusable) {
            quarantine(row, unusable.getMessage(), EventReader.emailOf(source.kind(), row.body()).orElse(null));
            return Optional.empty();
        }
    }

    /** The event's venue and consent claims; empty when the row was quarantined instead (a wording it needs is not published). */
    private Optional<Ready> settle(Parsed p) {
        GuestEvent event = p.event();
        Optional<Venues.Venue> venue = event.venue().map(v -> venues.ensure(v.ref(), v.name(), p.source().zone()));
        List<ResolvedClaim> consents = new ArrayList<>();
        for (GuestEvent.ConsentClaim claim : event.consents()) {
            Optional<ResolvedClaim> resolved = ResolvedClaim.of(claim, venue.orElse(null));
            if (resolved.isPresent() && resolved.get().needsPublishedWording()
                    && wordings.find(resolved.get().wordingId(), resolved.get().wordingVersion()).isEmpty()) {
                // nothing is written for this event: publish the wording, then replay it from quarantine
                quarantine(p.row(), "consent wording " + resolved.get().wordingId() + " version " + resolved.get().wordingVersion()
                        + " is not published; publish it (POST /api/v1/consent/wordings) and replay", event.email());
                return Optional.empty();
            }
            resolved.ifPresent(consents::add);
        }
        return Optional.of(new Ready(p, venue, consents, "source:" + p.row().sourceId()));
    }

    /**
     * Applies the events in their order: their guests found or created together, their updates applied together,
     * their consent rows appended together, their rows marked PROCESSED together.
     */
    private void apply(List<Ready> ready) {
        List<GuestDirectory.Seen> seen = new ArrayList<>(ready.size());
        for (Ready r : ready) {
            GuestEvent event = r.parsed().event();
            Optional<GuestUpdate.Visit> visit = r.venue().map(v -> new GuestUpdate.Visit(v, event.occurredAt(),
                    event.venue().get().dwellMinutes(), event.venue().get().zone()));
            seen.add(new GuestDirectory.Seen(new GuestDirectory.Sighting(event.email(), event.source(), event.occurredAt(), r.actor()),
                    new GuestUpdate(event.observations(), visit, event.device(), event.stay().map(GuestEvent.StaySeen::stay))));
        }
        List<GuestId> guestOf = guests.applyAll(seen);
        List<ConsentRecord> consents = new ArrayList<>();
        List<String> consentActors = new ArrayList<>();
        for (int i = 0; i < ready.size(); i++) {
            Ready r = ready.get(i);
            for (ResolvedClaim claim : r.consents()) {
                consents.add(claim.record(guestOf.get(i), r.venue().orElse(null), r.parsed().event(), r.parsed().source()));
                consentActors.add(r.actor());
            }
        }
        ledger.appendAll(consents, consentActors);
        List<Finished> finished = new ArrayList<>(ready.size());
        for (int i = 0; i < ready.size(); i++) {
            Row row = ready.get(i).parsed().row();
            finished.add(new Finished(row.id(), guestOf.get(i).value(), guests.subjectIndex(ready.get(i).parsed().event().email()),
                    sealedFor(row, guestOf.get(i))));
        }
        finishProcessed(finished);
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
     * Claims each event's duplicate key for its row, in their order; false for a row whose key another row already
     * holds (an earlier row of this chunk included). One insert of all the keys and one read back, whoever holds
     * them. The key is stored keyed ({@link DuplicateKeys}): a Purple login's key is made of the guest's email, venue
     * and login time, which a plain hash would let anyone holding the table confirm by guessing. Keys stored plain
     * before that are still honoured until they expire.
     */
    private List<Boolean> claimAll(List<Parsed> events) {
        if (events.isEmpty()) {
            return List.of();
        }
        List<String> keys = events.stream().map(p -> duplicateKeys.stored(p.event().dedupKey())).toList();
        return Jdbc.inConnection(dataSource, "ingestion", c -> {
            Map<String, Long> plainHolders = duplicateKeys.plainKeysMayRemain(c)
                    ? holders(c, events.stream().map(p -> p.event().dedupKey()).distinct().toList()) : Map.of();
            List<Integer> candidates = new ArrayList<>();
            for (int i = 0; i < events.size(); i++) {
                Long plain = plainHolders.get(events.get(i).event().dedupKey());
                if (plain == null || plain == events.get(i).row().id()) {
                    candidates.add(i);
                }
            }
            List<Boolean> claimed = new ArrayList<>(java.util.Collections.nCopies(events.size(), false));
            if (candidates.isEmpty()) {
                return claimed;
            }
            // inserted in key order (a stable sort: of one key, the earlier row first, and it holds the key), so two chunks
            // that meet on keys wait for each other instead of deadlocking
            candidates.sort(java.util.Comparator.comparing(keys::get));
            try (PreparedStatement s = c.prepareStatement("INSERT IGNORE INTO ing_dedup (dedup_key, inbox_id, expires_at) VALUES "
                    + String.join(",", java.util.Collections.nCopies(candidates.size(), "(?, ?, ?)")))) {
                int p = 1;
                for (int i : candidates) {
                    Row row = events.get(i).row();
                    s.setString(p++, keys.get(i));
                    s.setLong(p++, row.id());
                    s.setObject(p++, utc(row.receivedAt().plus(Duration.ofDays(Math.max(7, dedupRetentionDays)))));
                }
                s.executeUpdate();
            }
            Map<String, Long> holders = holders(c, candidates.stream().map(keys::get).distinct().toList());
            for (int i : candidates) {
                Long holder = holders.get(keys.get(i));
                claimed.set(i, holder != null && holder == events.get(i).row().id()); // a replay of the row that holds the key claims it again
            }
            return claimed;
        });
    }

    private static Map<String, Long> holders(java.sql.Connection c, List<String> keys) throws SQLException {
        Map<String, Long> holders = new HashMap<>();
        if (keys.isEmpty()) {
            return holders;
        }
        try (PreparedStatement s = c.prepareStatement("SELECT dedup_key, inbox_id FROM ing_dedup WHERE dedup_key IN ("
                + String.join(",", java.util.Collections.nCopies(keys.size(), "?")) + ")")) {
            int p = 1;
            for (String key : keys) {
                s.setString(p++, key);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    holders.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return holders;
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

    /** A row that became its guest's data: the body sealed again under the guest's key. */
    private record Finished(long id, String guestId, String subjectIndex, InboxBodies.Sealed body) {
    }

    /** Marks rows PROCESSED, in one batch (its statements sent together). */
    private void finishProcessed(List<Finished> rows) {
        Jdbc.inConnection(dataSource, "ingestion", c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE ing_inbox SET state = 'PROCESSED', reason = NULL, guest_id = ?, "
                    + "subject_index = ?, processed_at = ?, body = ?, body_key = ? WHERE id = ?")) {
                Object now = utc(Instant.now());
                for (Finished row : rows) {
                    s.setString(1, row.guestId());
                    s.setString(2, row.subjectIndex());
                    s.setObject(3, now);
                    s.setBytes(4, row.body().body());
                    s.setString(5, row.body().keyRef());
                    s.setLong(6, row.id());
                    s.addBatch();
                }
                return s.executeBatch();
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
                        rows.add(new Row(id, sourceId, body, rs.getString(4), Jdbc.instant(rs, 5),
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
