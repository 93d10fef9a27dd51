package io.guestbridge.identity.internal;

import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditTrail;
import io.guestbridge.identity.api.FieldOwnership;
import io.guestbridge.identity.api.GuestDirectory;
import io.guestbridge.identity.api.GuestField;
import io.guestbridge.identity.api.GuestId;
import io.guestbridge.identity.api.NormalizedEmail;
import io.guestbridge.identity.api.Observation;
import io.guestbridge.identity.api.SourceSystem;
import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
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
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The guest directory in the server: GuestStore on the JTA data source, with audit and outbox. */
@ApplicationScoped
public class ContainerGuestDirectory implements GuestDirectory {

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Inject
    Instance<SecretBox> master;

    @Inject
    AuditTrail trail;

    @Inject
    WorkQueue queue;

    @Inject
    Config config;

    private volatile GuestStore store;
    private volatile FieldOwnership ownership;

    @Override
    @Transactional(TxType.MANDATORY)
    public GuestId resolve(NormalizedEmail email, SourceSystem source, Instant observedAt, String actor) {
        GuestStore.Resolution resolution = Jdbc.inConnection(dataSource, "identity", c -> store().resolve(c, email, source, observedAt));
        if (resolution.created()) {
            trail.record(AuditEvent.of("identity", "GUEST_CREATED").by(actor).about(resolution.guest().subjectRef())
                    .with("source", source).build());
            syncToCrm(resolution.guest());
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
    public boolean observe(GuestId guest, Observation observation, String actor) {
        boolean changed = Jdbc.inConnection(dataSource, "identity", c -> store().observe(c, guest, observation, ownership()));
        if (changed) {
            trail.record(AuditEvent.of("identity", observation.source().isRectification() ? "GUEST_RECTIFIED" : "GUEST_FIELD_CHANGED")
                    .by(actor).about(guest.subjectRef()).with("field", observation.field()).with("source", observation.source())
                    .with("observedAt", observation.observedAt()).build());
            syncToCrm(guest);
        }
        return changed;
    }

    @Override
    @Transactional(TxType.SUPPORTS)
    public Optional<Profile> profile(GuestId guest) {
        return Jdbc.inConnection(dataSource, "identity", c -> store().load(c, guest)).map(p -> {
            Map<GuestField, Value> fields = new EnumMap<>(GuestField.class);
            p.fields().forEach((field, v) -> fields.put(field, new Value(v.value(), v.source(), v.observedAt(), v.owning())));
            return new Profile(guest, fields);
        });
    }

    private void syncToCrm(GuestId guest) {
        queue.enqueueCoalesced(CRM_SYNC_QUEUE, guest.subjectRef(), "{\"guest\":\"" + guest.value() + "\"}");
    }

    private GuestStore store() {
        if (store == null) {
            store = new GuestStore(new GuestCrypto(master.get()));
        }
        return store;
    }

    /** The field-ownership policy: defaults, overridden per field by identity.field.<field>.master=crm|wifi. */
    FieldOwnership ownership() {
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
