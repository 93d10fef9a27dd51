package io.guestbridge.crmsync.internal.delivery;

import io.guestbridge.audit.api.Actor;
import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditTrail;
import io.guestbridge.consent.api.ConsentDecision;
import io.guestbridge.consent.api.ConsentLedger;
import io.guestbridge.crmsync.internal.connectors.ConnectorSettings;
import io.guestbridge.crmsync.internal.connectors.ConnectorTriggers;
import io.guestbridge.crmsync.internal.connectors.SyncTrigger;
import io.guestbridge.crmsync.internal.connectors.CrmAnswer;
import io.guestbridge.crmsync.internal.connectors.CrmClient;
import io.guestbridge.crmsync.internal.connectors.CrmRecord;
import io.guestbridge.crmsync.internal.connectors.GuestValues;
import io.guestbridge.crmsync.internal.connectors.MarketingFlags;
import io.guestbridge.crmsync.internal.connectors.hubspot.HubSpotClient;
import io.guestbridge.crmsync.internal.connectors.mailchimp.MailchimpClient;
import io.guestbridge.crmsync.internal.connectors.rest.RestWebhookClient;
import io.guestbridge.crmsync.internal.connectors.salesforce.SalesforceClient;
import io.guestbridge.crmsync.internal.links.CrmLinks;
import io.guestbridge.identity.api.FieldOwnership;
import io.guestbridge.identity.api.GuestDirectory;
import io.guestbridge.identity.api.GuestField;
import io.guestbridge.identity.api.GuestId;
import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Envelope;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.RateBudget;
import io.guestbridge.platform.api.WorkHandler;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;

import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Delivers a batch of guests to one connector: sends only the guests one of the connector's triggers fired for
 * ({@link SyncFacts#decide}: a withdrawal always goes), builds each contact from the profile (mapped fields,
 * ownership: a create sends every mapped field, an update only WiFi-master ones and derived values;
 * the marketing flags follow the consent ledger: {@link MarketingFlags}), takes a request from the shared budget (or waits),
 * sends one request, and reports each guest's outcome: stored (linked, done), refused for good (dead,
 * with the CRM's reason), or to retry — only the records that failed are retried.
 */
@ApplicationScoped
public class CrmDelivery {

    @Inject
    GuestDirectory guests;

    @Inject
    ConsentLedger consent;

    @Inject
    CrmLinks links;

    @Inject
    RateBudget budget;

    @Inject
    CrmBookkeeping bookkeeping;

    @Inject
    CrmMetrics metrics;

    @Inject
    ConnectorTriggers triggers;

    @Inject
    SyncFactsStore facts;

    @Inject
    HubSpotClient hubspot;

    @Inject
    SalesforceClient salesforce;

    @Inject
    MailchimpClient mailchimp;

    @Inject
    RestWebhookClient rest;

    void deliver(ConnectorSettings connector, List<Envelope<ContactsDue>> request, WorkHandler.Outcomes outcomes) {
        ContactLedger ledger = new ContactLedger(request);
        try {
            deliver(connector, ledger, outcomes);
        } finally {
            ledger.settle(outcomes);
        }
    }

    private void deliver(ConnectorSettings connector, ContactLedger ledger, WorkHandler.Outcomes outcomes) {
        // everything the request needs, read in a handful of queries rather than several per guest
        List<GuestId> ids = ledger.guests();
        Snapshot snapshot = new Snapshot(guests.profiles(ids), consent.inForce(ids, "marketing_email"), links.crmIds(connector.name(), ids),
                guests.visitSummaries(ids), guests.staysChangedAt(ids), guests.rectifiedAt(ids), guests.ownership());
        Set<SyncTrigger> connectorTriggers = triggers.of(connector);
        // a connector on every trigger sends every change and needs no comparison, unless a guest of the batch was
        // rectified (whether the connector was sent that correction decides what the record carries); its facts are
        // still kept, so that narrowing its triggers later compares with what it was really sent
        Map<GuestId, SyncFacts> lastSynced = connectorTriggers.containsAll(SyncTrigger.ALL) && snapshot.rectifiedAt().isEmpty() ? Map.of()
                : facts.lastSynced(connector.name(), ids);
        Map<GuestId, SyncFacts> factsNow = new HashMap<>();
        List<CrmRecord> records = new ArrayList<>();
        int skipped = 0;
        for (GuestId guest : ids) {
            SyncFacts now = snapshot.facts(guest);
            SyncFacts before = lastSynced.getOrDefault(guest, SyncFacts.NEVER_SYNCED);
            if (!now.decide(connectorTriggers, before).send()) {
                ledger.skipped(guest); // none of the connector's triggers fired: counted, not audited (nothing was synced)
                skipped++;
                continue;
            }
            Optional<CrmRecord> record = record(connector, guest, snapshot, now.rectificationNotSentSince(before));
            if (record.isEmpty()) {
                ledger.skipped(guest); // erased meanwhile, or not to be synced without consent: nothing to send
            } else if (records.size() == connector.batchSize()) {
                ledger.left(guest); // the request is full: what did not fit goes with the next one
            } else {
                records.add(record.get());
                factsNow.put(guest, now);
            }
        }
        metrics.skipped(connector, skipped);
        if (records.isEmpty()) {
            return;
        }
        ConnectorCircuit circuit = circuit(connector);
        Optional<Duration> open = circuit.admit(Instant.now());
        if (open.isPresent()) {
            records.forEach(r -> ledger.retryAfter(r.guest(), open.get(), "circuit of " + connector.name() + " is open: the CRM kept failing"));
            outcomes.pauseQueue(open.get()); // every batch of this connector would meet the open circuit
            return;
        }
        // what the request needs before it can leave (an access token) is fetched before it takes its moment, so that
        // it leaves within the budget's leeway; a client that cannot get ready answers for the batch without a take
        Optional<CrmAnswer> notReady = prepare(connector);
        // a pacing gap of a fraction of a second is waited out here, holding the batch; a longer wait (the
        // daily cap, a busy budget) hands the batch back to the queue until then
        Optional<Duration> wait = notReady.isPresent() ? Optional.empty() : budget.takeWaitingBriefly(connector.rate());
        if (wait.isPresent()) {
            Duration delay = wait.get();
            records.forEach(r -> ledger.retryAfter(r.guest(), delay, "request budget of " + connector.name() + " spent"));
            // every moment up to the wait is held by other batches: the connector's workers here claim no batch until a
            // take could hold the next free moment (the brief wait before it), so that moment is not left unused, and
            // meanwhile none of them claims batch after batch only to put each back as this one
            outcomes.pauseQueue(delay.minus(RateBudget.BRIEF_WAIT));
            return;
        }
        long started = System.nanoTime();
        CrmAnswer answer = notReady.isPresent() ? notReady.get() : upsert(connector, records);
        int latencyMs = (int) ((System.nanoTime() - started) / 1_000_000);
        if (answer.retryAfter() != null) {
            // the CRM's Retry-After holds back every batch of this connector, on every instance, not only this one's items
            budget.holdOff(connector.rate(), answer.retryAfter());
        }
        if (answer.problem() != null && answer.retryAfter() == null && !answer.permanent()) {
            circuit.failed(Instant.now());
        } else {
            circuit.succeeded();
        }
        // what the CRM stored or refused counts first (a client that sends a batch in several calls may stop
        // half-way, and a CRM may leave a record unreported); the rest waits, is retried, or dies with the request's problem
        List<CrmRecord> stored = new ArrayList<>();
        int failed = 0;
        String problem = answer.problem() == null ? null : io.guestbridge.platform.api.Redaction.redact(answer.problem());
        for (CrmRecord r : records) {
            String email = r.email().toLowerCase(Locale.ROOT);
            if (answer.succeeded().containsKey(email)) {
                stored.add(r);
                ledger.stored(r.guest());
                continue;
            }
            if (answer.failed().containsKey(email)) {
                // the CRM refused this record's data: sending the same data again cannot help
                ledger.dead(r.guest(), io.guestbridge.platform.api.Redaction.redact(answer.failed().get(email)));
                failed++;
            } else if (answer.retryAfter() != null) {
                // a rate limit is a wait, not a failure: it neither uses an attempt nor counts in the error rate
                ledger.retryAfter(r.guest(), answer.retryAfter(), problem == null ? "the CRM asked to wait" : problem);
            } else if (problem != null && answer.permanent()) {
                ledger.dead(r.guest(), problem);
                failed++;
            } else {
                ledger.retry(r.guest(), problem == null ? "the CRM did not report this record" : problem);
                failed++;
            }
        }
        // the items whose contacts are all settled are completed in the transaction that records the request, and an item
        // of several contacts of which some were stored or refused leaves the rest there as a new item and the refused
        // ones as dead letters (their outcome here is then already committed and not written again)
        bookkeeping.recordRequest(connector, new CrmBookkeeping.CrmRequest(records.size(), stored, failed, answer, factsNow, latencyMs),
                ledger.completed(), ledger.remainders());
        metrics.requested(connector, records.size(), stored.size(), failed);
        metrics.latencies(connector, stored.stream().map(r -> ledger.changedAt(r.guest())).toList());
    }

    /** What the batch's guests look like now. */
    private record Snapshot(Map<GuestId, GuestDirectory.Profile> profiles, Map<GuestId, ConsentLedger.Entry> marketing, Map<GuestId, String> crmIds,
                            Map<GuestId, GuestDirectory.VisitSummary> visits, Map<GuestId, Instant> staysChangedAt, Map<GuestId, Instant> rectifiedAt,
                            FieldOwnership ownership) {

        /** What the connector's triggers look at for this guest now. */
        SyncFacts facts(GuestId guest) {
            GuestDirectory.VisitSummary summary = visits.get(guest);
            ConsentLedger.Entry inForce = marketing.get(guest);
            return new SyncFacts(summary == null ? 0 : summary.visits(), staysChangedAt.get(guest), inForce == null ? null : inForce.sequence(),
                    inForce == null ? null : inForce.decision(), rectifiedAt.get(guest));
        }
    }

    /** The guest's record for the connector; {@code rectifying}: it carries a correction the connector was not sent yet. */
    private Optional<CrmRecord> record(ConnectorSettings connector, GuestId guest, Snapshot snapshot, boolean rectifying) {
        GuestDirectory.Profile profile = snapshot.profiles().get(guest);
        if (profile == null) {
            return Optional.empty();
        }
        ConsentLedger.Entry inForce = snapshot.marketing().get(guest);
        ConsentDecision decision = inForce == null ? null : inForce.decision();
        // the proof goes with the decisions that move the flags: a declined consent leaves the CRM as it is, proof included
        ConsentLedger.Entry proof = decision == ConsentDecision.GRANTED || decision == ConsentDecision.WITHDRAWN ? inForce : null;
        boolean marketing = decision == ConsentDecision.GRANTED;
        boolean create = !snapshot.crmIds().containsKey(guest);
        if (!marketing && !connector.syncWithoutConsent() && create) {
            // a connector for consenting guests only never receives this one; one that already holds the
            // guest does get the update, so that a withdrawal turns marketing off there
            return Optional.empty();
        }
        GuestDirectory.Value email = profile.fields().get(GuestField.EMAIL);
        if (email == null) {
            return Optional.empty();
        }
        FieldOwnership ownership = snapshot.ownership();
        GuestDirectory.VisitSummary visits = snapshot.visits().getOrDefault(guest, new GuestDirectory.VisitSummary(0, 0, null, null));
        Map<String, String> properties = new LinkedHashMap<>();
        connector.mapping().forEach((field, property) -> {
            String value = switch (field) {
                case "VISIT_COUNT", "TOTAL_DWELL_MINUTES", "FIRST_SEEN", "LAST_SEEN", "CONSENT_CAPTURED_AT", "CONSENT_WORDING_ID",
                     "CONSENT_WORDING_VERSION", "CONSENT_CHANNEL" -> GuestValues.derived(field, visits, proof);
                default -> {
                    GuestField guestField = GuestField.valueOf(field);
                    GuestDirectory.Value v = profile.fields().get(guestField);
                    // an update never overwrites what the CRM is master of: only a create fills those fields. A correction
                    // (Art. 16) the connector was not sent yet is the exception: it outranks every system's value, the CRM's
                    // too, and each recipient is told of it (Art. 19); once sent, the CRM's own later edits stand again
                    boolean send = create || guestField == GuestField.EMAIL || ownership.masterOf(guestField) == FieldOwnership.Master.WIFI
                            || rectifying && v != null && v.source().isRectification();
                    // an unverified value (a phone that is no valid number, or a fictional one) stays here, flagged for a
                    // person to fix: marketing calls and texts the numbers the CRM holds, so it gets only real, valid ones
                    yield v == null || !send || !v.verified() ? null : v.value();
                }
            };
            if (value != null) {
                properties.put(property, value);
            }
        });
        properties.putAll(MarketingFlags.of(connector, decision));
        return Optional.of(new CrmRecord(guest, email.value(), properties, create));
    }

    private final java.util.Map<String, ConnectorCircuit> circuits = new java.util.concurrent.ConcurrentHashMap<>();

    public ConnectorCircuit circuit(ConnectorSettings connector) {
        return circuits.computeIfAbsent(connector.name(), n -> new ConnectorCircuit(connector.circuitOpenFor()));
    }

    /** Sends the batch through the connector's client; a call cut short by fault tolerance is an answer too. */
    CrmAnswer upsert(ConnectorSettings connector, List<CrmRecord> records) {
        try {
            return client(connector).upsert(connector, records);
        } catch (FaultToleranceException e) {
            return CrmAnswer.cutShort(connector.name(), e);
        }
    }

    /** Gets the connector's client ready to send at once ({@link CrmClient#prepare}); a call cut short by fault tolerance is an answer too. */
    Optional<CrmAnswer> prepare(ConnectorSettings connector) {
        try {
            return client(connector).prepare(connector);
        } catch (FaultToleranceException e) {
            return Optional.of(CrmAnswer.cutShort(connector.name(), e));
        }
    }

    /** Erases the contact through the connector's client; a call cut short by fault tolerance is an answer too. */
    CrmAnswer erase(ConnectorSettings connector, String email) {
        try {
            return client(connector).erase(connector, email);
        } catch (FaultToleranceException e) {
            return CrmAnswer.cutShort(connector.name(), e);
        }
    }

    /**
     * The wire protocol of the connector's type: a container bean, so each call runs within the bulkhead of its CRM
     * type and an upsert within its time limit (MicroProfile Fault Tolerance, tuned by configuration); an erasure's
     * requests are each bounded by the outbound client.
     */
    CrmClient client(ConnectorSettings connector) {
        return switch (connector.type()) {
            case HUBSPOT -> hubspot;
            case SALESFORCE -> salesforce;
            case MAILCHIMP -> mailchimp;
            case REST -> rest;
        };
    }


}
