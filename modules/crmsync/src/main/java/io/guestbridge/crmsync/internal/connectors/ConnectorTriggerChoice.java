package io.guestbridge.crmsync.internal.connectors;

import io.guestbridge.platform.api.InstantConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The triggers an operator chose for one connector through the API. They replace the connector's configured triggers
 * on every instance until the operator chooses again; a connector without a choice syncs on its configured ones. The
 * choice is kept as the triggers' names, so a version that knows fewer triggers can still tell it cannot read it.
 */
@Entity
@Table(name = "crm_connector_triggers")
public class ConnectorTriggerChoice {

    @Id
    @Column(name = "connector")
    private String connector;

    @Column(name = "triggers", nullable = false)
    private String triggers;

    @Column(name = "changed_at", nullable = false)
    @Convert(converter = InstantConverter.class)
    private Instant changedAt;

    protected ConnectorTriggerChoice() {
        // for JPA
    }

    private ConnectorTriggerChoice(String connector, Set<SyncTrigger> triggers, Instant at) {
        this.connector = Objects.requireNonNull(connector, "connector");
        replaceWith(triggers, at);
    }

    /** An operator's first choice for a connector. */
    static ConnectorTriggerChoice first(String connector, Set<SyncTrigger> triggers, Instant at) {
        return new ConnectorTriggerChoice(connector, triggers, at);
    }

    /** Replaces the choice: a connector syncs on at least one trigger, since one on none would silently stop syncing. */
    void replaceWith(Set<SyncTrigger> chosen, Instant at) {
        if (chosen == null || chosen.isEmpty()) {
            throw new IllegalArgumentException("a connector syncs on at least one trigger; allowed: " + SyncTrigger.allowed());
        }
        this.triggers = SyncTrigger.joined(chosen);
        this.changedAt = Objects.requireNonNull(at, "at");
    }

    /**
     * The chosen triggers.
     *
     * @throws IllegalArgumentException when the choice names a trigger this version does not know (written by another)
     */
    Set<SyncTrigger> triggers() {
        return SyncTrigger.parse(List.of(triggers.split(",")));
    }

    String connector() {
        return connector;
    }

    Instant changedAt() {
        return changedAt;
    }
}
