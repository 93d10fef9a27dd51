package io.guestbridge.identity.internal;

import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditFeed;
import io.guestbridge.audit.api.AuditTrail;
import io.guestbridge.identity.api.Country;
import io.guestbridge.identity.api.FieldOwnership;
import io.guestbridge.identity.api.GuestChanged;
import io.guestbridge.identity.api.GuestDirectory;
import io.guestbridge.identity.api.GuestField;
import io.guestbridge.identity.api.GuestId;
import io.guestbridge.identity.api.GuestStayChanged;
import io.guestbridge.identity.api.GuestUpdate;
import io.guestbridge.identity.api.NormalizedEmail;
import io.guestbridge.identity.api.Observation;
import io.guestbridge.identity.api.SourceSystem;
import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.KeyVault;
import io.guestbridge.platform.api.SecretBox;
import io.guestbridge.platform.api.WorkQueue;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import org.eclipse.microprofile.config.Config;

import javax.sql.DataSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.stream.Collectors;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The guest directory in the server: GuestStore on the JTA data source, with audit and outbox. */
@ApplicationScoped
public class ContainerGuestDirectory implements GuestDirectory {

    /** The audit actions that change a guest: the change feed is made of them. */
    static final Set<String> CHANGE_ACTIONS = Set.of("GUEST_CREATED", "GUEST_FIELD_CHANGED", "GUEST_RECTIFIED", "GUEST_UPDATED");

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Inject
    Instance<SecretBox> master;

    @Inject
    KeyVault vault;

    @Inject
    AuditTrail trail;

    @Inject
    AuditFeed auditFeed;

    @Inject
    WorkQueue queue;

    @Inject
    Config config;

    private volatile GuestStore store;
    private volatile ActivityStore activity;
    volatile GuestCrypto crypto; // made from the configuration on first use; a test in this package gives its own
    private volatile FieldOwnership ownership;

    @Override
    @Transactional(TxType.MANDATORY)
    public GuestId resolve(NormalizedEmail email, SourceSystem source, Instant observedAt, String actor) {
        GuestStore.Resolution resolution = Jdbc.inConnection(dataSource, "identity", c -> store().resolve(c, email, source, observedAt));
        if (resolution.created()) {
            changed(resolution.guest(), trail.record(AuditEvent.of("identity", "GUEST_CREATED").by(actor).about(resolution.guest().subjectRef())
                    .with("source", source).build()));
        }
        return resolution.guest();
    }

    @Override
    @Transactional(TxType.SUPPORTS)
    public Optional<GuestId> find(NormalizedEmail email) {
        return Jdbc.inConnection(dataSource, "identity", c -> store().find(c, email));
    }

    @Override
    @Transactional(TxType.MANDATORY)
    public boolean observe(GuestId guest, Observation reported, String actor) {
        // a single observation (a CRM's change, a rectification) comes from no venue: no country to read a national number in
        Observation observation = reported.readIn(Optional.empty());
        boolean changed = Jdbc.inConnection(dataSource, "identity", c -> store().observe(c, guest, observation, ownership()));
        if (changed) {
            changed(guest, trail.record(AuditEvent.of("identity", observation.source().isRectification() ? "GUEST_RECTIFIED" : "GUEST_FIELD_CHANGED")
                    .by(actor).about(guest.subjectRef()).with("field", observation.field()).with("source", observation.source())
                    .with("observedAt", observation.observedAt()).build()));
        }
        return changed;
    }

    @Override
    @Transactional(TxType.SUPPORTS)
    public Optional<Profile> profile(GuestId guest) {
        return Jdbc.inConnection(dataSource, "identity", c -> store().load(c, guest)).map(p -> {
            Map<GuestField, Value> fields = new EnumMap<>(GuestField.class);
            p.fields().forEach((field, v) -> fields.put(field, value(v)));
            return new Profile(guest, fields);
        });
    }

    @Override
    @Transactional(TxType.MANDATORY)
    public GuestUpdate.Changes update(GuestId guest, GuestUpdate update, String actor) {
        Prepared prepared = prepare(update);
        GuestUpdate.Changes changes = Jdbc.inConnection(dataSource, "identity", c -> {
            List<GuestField> fields = store().observeAll(c, guest, prepared.observations(), ownership());
            boolean visit = false;
            if (update.visit().isPresent()) {
                activity().visit(c, guest, update.visit().get());
                visit = true;
            }
            boolean deviceRecorded = false;
            Optional<String> mac = update.device().flatMap(d -> Devices.normalizeMac(d.mac()));
            if (mac.isPresent()) {
                GuestCrypto.DataKey key = store().key(c, guest, false).orElseThrow(); // a cheap primary-key read, after the lock
                deviceRecorded = activity().device(c, guest, key, mac.get(), prepared.device().orElseThrow(), update.device().get().seenAt());
            }
            boolean stay = update.stay().isPresent() && activity().stay(c, guest, update.stay().get());
            return new GuestUpdate.Changes(fields, visit, deviceRecorded, stay);
        });
        audit(guest, update, changes, actor);
        return changes;
    }

    @Override
    @Transactional(TxType.MANDATORY)
    public List<GuestId> applyAll(List<Seen> events) {
        if (events.isEmpty()) {
            return List.of();
        }
        List<Sighting> sightings = events.stream().map(Seen::sighting).toList();
        Map<NormalizedEmail, GuestStore.Resolution> resolved = Jdbc.inConnection(dataSource, "identity", c -> store().resolveAll(c, sightings));
        List<GuestId> guests = new ArrayList<>(events.size());
        List<Applied> updates = new ArrayList<>(events.size());
        boolean[] creating = new boolean[events.size()];
        Set<NormalizedEmail> created = new java.util.HashSet<>();
        for (int i = 0; i < events.size(); i++) {
            Sighting sighting = events.get(i).sighting();
            GuestStore.Resolution resolution = resolved.get(sighting.email());
            creating[i] = resolution.created() && created.add(sighting.email()); // a new email's first event created its guest
            guests.add(resolution.guest());
            updates.add(new Applied(resolution.guest(), events.get(i).update(), sighting.actor()));
        }
        List<GuestUpdate.Changes> changes = updateAll(updates);
        for (int i = 0; i < events.size(); i++) {
            Applied u = updates.get(i);
            if (creating[i]) {
                // one record for the creation and what the creating event set: a second record of the same event would tell
                // nothing more, and under a burst of new guests it was a quarter of the audit log's work
                recordChange(AuditEvent.of("identity", "GUEST_CREATED").by(u.actor()).about(u.guest().subjectRef())
                        .with("source", events.get(i).sighting().source()), u.guest(), u.update(), changes.get(i));
            } else {
                audit(u.guest(), u.update(), changes.get(i), u.actor());
            }
        }
        return guests;
    }

    /** One event's update of one guest, applied with others by {@link #updateAll}. */
    private record Applied(GuestId guest, GuestUpdate update, String actor) {
    }

    /** What an update observes, its device's type and OS among the observations. */
    private record Prepared(List<Observation> observations, Optional<Devices.Parsed> device) {
    }

    private static Prepared prepare(GuestUpdate update) {
        Optional<Country> country = update.country();
        List<Observation> observations = new ArrayList<>(update.observations().stream().map(o -> o.readIn(country)).toList());
        Optional<Devices.Parsed> device = update.device().map(d -> {
            Devices.Parsed parsed = Devices.parse(d.userAgent());
            return new Devices.Parsed(d.deviceType() != null ? d.deviceType() : parsed.deviceType(), d.os() != null ? d.os() : parsed.os());
        });
        if (device.isPresent()) {
            Instant seen = update.device().get().seenAt();
            SourceSystem source = SourceSystem.WIFI;
            if (device.get().deviceType() != null) {
                observations.add(new Observation(GuestField.DEVICE_TYPE, device.get().deviceType(), source, seen));
            }
            if (device.get().os() != null) {
                observations.add(new Observation(GuestField.OS, device.get().os(), source, seen));
            }
        }
        return new Prepared(observations, device);
    }

    /**
     * The updates of a chunk of events: every guest locked by one statement, the profiles read by one, the field
     * values, visits and devices written by one each; the observations judged in the updates' order against the
     * profile as the earlier ones left it, so the outcome is that of {@link #update} called for each in turn. The
     * caller audits them.
     */
    private List<GuestUpdate.Changes> updateAll(List<Applied> updates) {
        if (updates.isEmpty()) {
            return List.of();
        }
        FieldOwnership policy = ownership();
        List<Prepared> prepared = updates.stream().map(u -> prepare(u.update())).toList();
        return Jdbc.inConnection(dataSource, "identity", c -> {
            java.util.Set<GuestId> guests = new java.util.TreeSet<>(java.util.Comparator.comparing(GuestId::value));
            updates.forEach(u -> guests.add(u.guest()));
            Map<GuestId, GuestCrypto.DataKey> keys = store().lockAll(c, guests);
            Map<GuestId, GuestCrypto.DataKey> observed = new java.util.HashMap<>();
            for (int i = 0; i < updates.size(); i++) {
                if (!prepared.get(i).observations().isEmpty()) {
                    observed.put(updates.get(i).guest(), keys.get(updates.get(i).guest()));
                }
            }
            Map<GuestId, GuestProfile> profiles = store().loadLocked(c, observed);
            Map<GuestId, java.util.Set<GuestField>> dirty = new LinkedHashMap<>();
            List<List<GuestField>> fieldsOf = new ArrayList<>();
            List<Map.Entry<GuestId, GuestUpdate.Visit>> visits = new ArrayList<>();
            List<ActivityStore.DeviceSeen> devices = new ArrayList<>();
            List<Integer> deviceOf = new ArrayList<>();
            for (int i = 0; i < updates.size(); i++) {
                Applied u = updates.get(i);
                List<GuestField> fields = new ArrayList<>();
                for (Observation observation : prepared.get(i).observations()) {
                    if (profiles.get(u.guest()).observe(observation, policy) && !fields.contains(observation.field())) {
                        fields.add(observation.field());
                    }
                }
                if (!fields.isEmpty()) {
                    dirty.computeIfAbsent(u.guest(), g -> java.util.EnumSet.noneOf(GuestField.class)).addAll(fields);
                }
                fieldsOf.add(fields);
                u.update().visit().ifPresent(v -> visits.add(Map.entry(u.guest(), v)));
                Optional<String> mac = u.update().device().flatMap(d -> Devices.normalizeMac(d.mac()));
                if (mac.isPresent()) {
                    deviceOf.add(i);
                    devices.add(new ActivityStore.DeviceSeen(u.guest(), keys.get(u.guest()), mac.get(), prepared.get(i).device().orElseThrow(),
                            u.update().device().get().seenAt()));
                }
            }
            List<GuestStore.FieldWrite> writes = new ArrayList<>();
            dirty.forEach((guest, fields) -> fields.forEach(field -> writes.add(new GuestStore.FieldWrite(guest, keys.get(guest), field,
                    profiles.get(guest).field(field).orElseThrow()))));
            GuestStore.writeMany(c, writes);
            GuestStore.touchAll(c, dirty.keySet());
            activity().visitAll(c, visits);
            List<Boolean> recorded = activity().deviceAll(c, devices);
            boolean[] deviceNew = new boolean[updates.size()];
            for (int d = 0; d < recorded.size(); d++) {
                deviceNew[deviceOf.get(d)] = recorded.get(d);
            }
            List<GuestUpdate.Changes> changes = new ArrayList<>();
            for (int i = 0; i < updates.size(); i++) {
                Applied u = updates.get(i);
                boolean stay = u.update().stay().isPresent() && activity().stay(c, u.guest(), u.update().stay().get());
                changes.add(new GuestUpdate.Changes(fieldsOf.get(i), u.update().visit().isPresent(), deviceNew[i], stay));
            }
            return changes;
        });
    }

    private void audit(GuestId guest, GuestUpdate update, GuestUpdate.Changes changes, String actor) {
        if (changes.any()) {
            recordChange(AuditEvent.of("identity", "GUEST_UPDATED").by(actor).about(guest.subjectRef()), guest, update, changes);
        }
    }

    /** Records the event with what the update changed (nothing to add when it changed nothing), and tells who follows the guest. */
    private void recordChange(AuditEvent.Builder event, GuestId guest, GuestUpdate update, GuestUpdate.Changes changes) {
        if (changes.any()) {
            event.with("fields", changes.fields().stream().map(Enum::name).collect(Collectors.joining(",")));
            update.visit().ifPresent(v -> event.with("visitVenue", v.venue().id()).with("visitAt", v.seenAt()));
            if (changes.deviceRecorded()) {
                event.with("device", "new");
            }
            update.stay().filter(st -> changes.stayChanged()).ifPresent(st -> event.with("stay", st.status()));
        }
        changed(guest, trail.record(event.build()));
        if (changes.stayChanged()) {
            queue.publish(GuestStayChanged.of(guest));
        }
    }

    @Override
    public Optional<byte[]> seal(GuestId guest, String label, byte[] plaintext) {
        return crypto().key(guest).map(key -> key.seal(label, plaintext));
    }

    @Override
    public Optional<byte[]> open(GuestId guest, String label, byte[] sealed) {
        return crypto().key(guest).map(key -> key.open(label, sealed));
    }

    @Override
    public Optional<String> deviceHash(String mac) {
        return Devices.normalizeMac(mac).map(crypto()::macHash);
    }

    @Override
    public String subjectIndex(NormalizedEmail email) {
        return crypto().blindIndex(email);
    }

    @Override
    @Transactional(TxType.SUPPORTS)
    public Map<GuestId, Profile> profiles(List<GuestId> guests) {
        return Jdbc.inConnection(dataSource, "identity", c -> {
            Map<GuestId, Profile> profiles = new java.util.HashMap<>();
            store().loadAll(c, guests).forEach((guest, p) -> {
                Map<GuestField, Value> fields = new EnumMap<>(GuestField.class);
                p.fields().forEach((field, v) -> fields.put(field, value(v)));
                profiles.put(guest, new Profile(guest, fields));
            });
            return profiles;
        });
    }

    @Override
    @Transactional(TxType.SUPPORTS)
    public Map<GuestId, VisitSummary> visitSummaries(List<GuestId> guests) {
        return Jdbc.inConnection(dataSource, "identity", c -> activity().summaries(c, guests));
    }

    @Override
    @Transactional(TxType.SUPPORTS)
    public Map<GuestId, Instant> staysChangedAt(List<GuestId> guests) {
        return Jdbc.inConnection(dataSource, "identity", c -> activity().staysChangedAt(c, guests));
    }

    @Override
    @Transactional(TxType.SUPPORTS)
    public Map<GuestId, Instant> rectifiedAt(List<GuestId> guests) {
        return Jdbc.inConnection(dataSource, "identity", c -> store().rectifiedAt(c, guests));
    }

    @Override
    @Transactional(TxType.SUPPORTS)
    public VisitSummary visitSummary(GuestId guest) {
        return Jdbc.inConnection(dataSource, "identity", c -> activity().summary(c, guest));
    }

    @Override
    @Transactional(TxType.SUPPORTS)
    public List<GuestId> inactiveSince(Instant cutoff, int limit) {
        return Jdbc.inConnection(dataSource, "identity", c -> {
            try (java.sql.PreparedStatement s = c.prepareStatement("SELECT g.id FROM idn_guest g WHERE g.created_at < ? "
                    + "AND NOT EXISTS (SELECT 1 FROM idn_visit v WHERE v.guest_id = g.id AND v.last_seen >= ?) "
                    + "AND NOT EXISTS (SELECT 1 FROM idn_stay s WHERE s.guest_id = g.id AND s.departure_utc >= ?) "
                    + "ORDER BY g.created_at LIMIT ?")) {
                s.setObject(1, Jdbc.utc(cutoff));
                s.setObject(2, Jdbc.utc(cutoff));
                s.setObject(3, Jdbc.utc(cutoff));
                s.setInt(4, limit);
                List<GuestId> inactive = new java.util.ArrayList<>();
                try (java.sql.ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        inactive.add(new GuestId(rs.getString(1)));
                    }
                }
                return inactive;
            }
        });
    }

    @Override
    @Transactional(TxType.SUPPORTS)
    public List<VisitEntry> visits(GuestId guest, int limit) {
        return Jdbc.inConnection(dataSource, "identity", c -> activity().visits(c, guest, limit));
    }

    @Override
    @Transactional(TxType.SUPPORTS)
    public List<StayEntry> stays(GuestId guest) {
        return Jdbc.inConnection(dataSource, "identity", c -> activity().stays(c, guest));
    }

    @Override
    @Transactional(TxType.MANDATORY)
    public int announceStays(String sourceId, Instant departingAfter) {
        List<GuestId> staying = Jdbc.inConnection(dataSource, "identity", c -> {
            // the source's reservations by the primary key's prefix: read when a network is saved, not on a hot path
            try (java.sql.PreparedStatement s = c.prepareStatement("SELECT DISTINCT guest_id FROM idn_stay WHERE source_id = ? AND departure_utc > ? "
                    + "ORDER BY guest_id")) {
                s.setString(1, sourceId);
                s.setObject(2, Jdbc.utc(departingAfter));
                List<GuestId> guests = new ArrayList<>();
                try (java.sql.ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        guests.add(new GuestId(rs.getString(1)));
                    }
                }
                return guests;
            }
        });
        staying.forEach(guest -> queue.publish(GuestStayChanged.of(guest))); // one item a guest: an erasure removes it with the guest's work
        return staying.size();
    }

    @Override
    @Transactional(TxType.SUPPORTS)
    public List<DeviceEntry> devices(GuestId guest) {
        return Jdbc.inConnection(dataSource, "identity", c -> activity().devices(c, guest));
    }

    @Override
    @Transactional(TxType.SUPPORTS)
    public List<Change> changes(long after, int limit) {
        // each guest once per page, at its latest change in the page; the page ends at its last change, so nothing is skipped
        Map<GuestId, GuestDirectory.Change> latest = new LinkedHashMap<>();
        for (AuditFeed.Entry entry : auditFeed.after(after, "identity", CHANGE_ACTIONS, limit)) {
            GuestId guest = new GuestId(entry.subjectRef().substring("guest:".length()));
            latest.remove(guest);
            latest.put(guest, new GuestDirectory.Change(entry.sequence(), guest, entry.occurredAt()));
        }
        return new ArrayList<>(latest.values());
    }

    private static Value value(GuestProfile.FieldValue v) {
        return new Value(v.value(), v.source(), v.observedAt(), v.owning(), v.verified(), v.unverifiedReason());
    }

    /**
     * The message to the guest's readers (the CRM outbox), in the transaction of the change. The change feed
     * needs nothing more: it follows the audit records of {@link #CHANGE_ACTIONS} once they are numbered.
     */
    private void changed(GuestId guest, AuditTrail.AuditReceipt receipt) {
        publishChanged(guest);
    }

    private void publishChanged(GuestId guest) {
        queue.publish(GuestChanged.of(guest));
    }

    @Override
    @Transactional(TxType.MANDATORY)
    public void announceChange(GuestId guest) {
        publishChanged(guest);
    }

    private GuestStore store() {
        if (store == null) {
            store = new GuestStore(crypto());
        }
        return store;
    }

    private ActivityStore activity() {
        if (activity == null) {
            activity = new ActivityStore(crypto());
        }
        return activity;
    }

    /** The guest crypto: master key from configuration, device pepper from identity.device.pepper (else derived). */
    private GuestCrypto crypto() {
        if (crypto == null) {
            byte[] pepper = config.getOptionalValue("identity.device.pepper", String.class)
                    .map(p -> p.getBytes(java.nio.charset.StandardCharsets.UTF_8)).orElse(null);
            crypto = new GuestCrypto(master.get(), vault, pepper);
        }
        return crypto;
    }

    /** The field-ownership policy: defaults, overridden per field by identity.field.<field>.master=crm|wifi. */
    @Override
    public FieldOwnership ownership() {
        if (ownership == null) {
            FieldOwnership policy = FieldOwnership.defaults();
            for (GuestField field : GuestField.values()) {
                Optional<String> master = config.getOptionalValue("identity.field." + field.name().toLowerCase(Locale.ROOT).replace('_', '-')
                        + ".master", String.class);
                if (master.isPresent()) {
                    policy = policy.with(field, FieldOwnership.Master.valueOf(master.get().trim().toUpperCase(Locale.ROOT)));
                }
            }
            ownership = policy;
        }
        return ownership;
    }


}
