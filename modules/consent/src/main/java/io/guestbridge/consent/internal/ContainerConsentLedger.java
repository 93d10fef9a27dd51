package io.guestbridge.consent.internal;

import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditTrail;
import io.guestbridge.consent.api.ConsentDecision;
import io.guestbridge.consent.api.ConsentLedger;
import io.guestbridge.consent.api.ConsentRecord;
import io.guestbridge.identity.api.GuestDirectory;
import io.guestbridge.identity.api.GuestId;
import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import javax.sql.DataSource;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;

/** The consent ledger in the server: the store on the JTA data source, audited, with the CRM outbox. */
@ApplicationScoped
public class ContainerConsentLedger implements ConsentLedger {

    private final ConsentLedgerStore store = new ConsentLedgerStore();

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Inject
    AuditTrail trail;

    @Inject
    GuestDirectory guests;

    @Inject
    io.guestbridge.consent.api.Wordings wordings;

    @Override
    @Transactional(TxType.MANDATORY)
    public long append(ConsentRecord record, String actor) {
        if (record.decision() == ConsentDecision.GRANTED && wordings.find(record.wordingId(), record.wordingVersion()).isEmpty()) {
            throw new IllegalArgumentException("a grant must name a published wording; " + record.wordingId() + " version "
                    + record.wordingVersion() + " is not published (POST /api/v1/consent/wordings)");
        }
        long seq = Jdbc.inConnection(dataSource, "consent", c -> store.append(c, record, Instant.now()));
        trail.record(AuditEvent.of("consent", "CONSENT_" + record.recordedDecision().name()).by(actor)
                .about(record.guest().subjectRef()).with("purpose", record.purpose()).with("ledgerSequence", seq)
                .with("capturedAt", record.capturedAt()).build());
        // marketing flags in the CRMs follow consent: the guest's next sync carries the new state
        guests.announceChange(record.guest());
        return seq;
    }

    @Override
    @Transactional(TxType.MANDATORY)
    public List<Long> appendAll(List<ConsentRecord> records, List<String> actors) {
        if (records.isEmpty()) {
            return List.of();
        }
        for (ConsentRecord record : records) {
            if (record.decision() == ConsentDecision.GRANTED && wordings.find(record.wordingId(), record.wordingVersion()).isEmpty()) {
                throw new IllegalArgumentException("a grant must name a published wording; " + record.wordingId() + " version "
                        + record.wordingVersion() + " is not published (POST /api/v1/consent/wordings)");
            }
        }
        List<Long> seqs = Jdbc.inConnection(dataSource, "consent", c -> store.appendAll(c, records, Instant.now()));
        java.util.Set<GuestId> announced = new java.util.LinkedHashSet<>();
        for (int i = 0; i < records.size(); i++) {
            ConsentRecord record = records.get(i);
            trail.record(AuditEvent.of("consent", "CONSENT_" + record.recordedDecision().name()).by(actors.get(i))
                    .about(record.guest().subjectRef()).with("purpose", record.purpose()).with("ledgerSequence", seqs.get(i))
                    .with("capturedAt", record.capturedAt()).build());
            announced.add(record.guest());
        }
        // marketing flags in the CRMs follow consent: the guest's next sync carries the new state
        announced.forEach(guests::announceChange);
        return seqs;
    }

    @Override
    @Transactional(TxType.SUPPORTS)
    public Optional<ConsentDecision> current(GuestId guest, String purpose) {
        return Jdbc.inConnection(dataSource, "consent", c -> store.current(c, guest, purpose.toLowerCase(Locale.ROOT)));
    }

    @Override
    @Transactional(TxType.SUPPORTS)
    public Map<GuestId, ConsentDecision> current(List<GuestId> guests, String purpose) {
        Map<GuestId, ConsentDecision> all = new java.util.HashMap<>();
        inForce(guests, purpose).forEach((guest, entry) -> all.put(guest, entry.decision()));
        return all;
    }

    @Override
    @Transactional(TxType.SUPPORTS)
    public Map<GuestId, Entry> inForce(List<GuestId> guests, String purpose) {
        String code = purpose.toLowerCase(Locale.ROOT);
        return Jdbc.inConnection(dataSource, "consent", c -> store.inForceAll(c, guests, code));
    }

    @Override
    @Transactional(TxType.SUPPORTS)
    public boolean permits(GuestId guest, String purpose, Instant at) {
        return Jdbc.inConnection(dataSource, "consent", c -> store.permits(c, guest, purpose, at));
    }

    @Override
    @Transactional(TxType.SUPPORTS)
    public Permitted permitted(String purpose, String after, int limit) {
        if (limit < 1 || limit > 10_000) {
            throw new IllegalArgumentException("limit must be 1..10000");
        }
        return Jdbc.inConnection(dataSource, "consent", c -> store.permitted(c, purpose.toLowerCase(Locale.ROOT), after, limit));
    }

    @Override
    @Transactional(TxType.SUPPORTS)
    public List<Entry> history(GuestId guest) {
        return Jdbc.inConnection(dataSource, "consent", c -> store.history(c, guest));
    }

    /** The first row of the guest's chain that does not hold, if any. */
    @Transactional(TxType.SUPPORTS)
    public Optional<Long> firstBrokenLink(GuestId guest) {
        return Jdbc.inConnection(dataSource, "consent", c -> store.firstBrokenLink(c, guest));
    }


}
