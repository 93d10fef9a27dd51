package io.guestbridge.crmsync.internal.operations;

import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditTrail;
import io.guestbridge.crmsync.api.CrmDesk;
import io.guestbridge.crmsync.internal.connectors.ConnectorSettings;
import io.guestbridge.crmsync.internal.connectors.ConnectorTriggers;
import io.guestbridge.crmsync.internal.connectors.Connectors;
import io.guestbridge.crmsync.internal.connectors.SyncTrigger;
import io.guestbridge.crmsync.internal.delivery.ContactDue;
import io.guestbridge.crmsync.internal.delivery.ContactsDue;
import io.guestbridge.platform.api.MessageCodec;
import io.guestbridge.platform.api.ProblemException;
import io.guestbridge.platform.api.Roles;
import io.guestbridge.platform.api.Redaction;
import io.guestbridge.platform.api.WorkItem;
import io.guestbridge.platform.api.WorkQueue;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.util.List;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * The connectors' health and dead letters, for the management API's {@link CrmResource} and the console (as
 * {@link CrmDesk}): one implementation, so the two cannot differ.
 */
@ApplicationScoped
public class CrmOperations implements CrmDesk {

    @Inject
    CrmConnectorStatus status;

    @Inject
    Connectors connectors;

    @Inject
    WorkQueue queue;

    @Inject
    AuditTrail trail;

    @Inject
    ConnectorTriggers triggers;

    @Override
    public List<ConnectorHealth> connectors(String actor, Set<String> roles) {
        Roles.requireAny(ROLES, roles, "work on the CRM connectors");
        return status.all().stream().map(s -> new ConnectorHealth(s.connector(), s.type(), s.state(), s.circuit(), s.problems(), s.records15m(),
                s.failed15m(), s.errorRate15m(), s.createdToday(), s.updatedToday(), s.p50RequestMs(), s.p95RequestMs(), s.budget())).toList();
    }

    @Override
    @Transactional
    public List<DeadLetter> deadLetters(String connector, long after, int limit, String actor, Set<String> roles) {
        Roles.requireAny(ROLES, roles, "work on the CRM connectors");
        if (limit < 1 || limit > 500) {
            throw ProblemException.invalid("limit must be 1 to 500");
        }
        return deadLetters(connector, after, limit);
    }

    @Override
    @Transactional
    public void replay(String connector, long id, String actor, Set<String> roles) {
        Roles.requireAny(ROLES, roles, "work on the CRM connectors");
        replay(connector, id, actor);
    }

    @Override
    @Transactional
    public void discard(String connector, long id, String actor, Set<String> roles) {
        Roles.requireAny(ROLES, roles, "work on the CRM connectors");
        discard(connector, id, actor);
    }

    /**
     * Replaces the connector's triggers (every instance follows from its next batch); a 400 problem naming the
     * unknown ones and listing the allowed ones, a 404 problem for a connector not configured. Audited.
     */
    @Transactional
    List<String> changeTriggers(String connector, List<String> names, String actor) {
        ConnectorSettings settings = connector(connector);
        java.util.Set<SyncTrigger> parsed;
        try {
            parsed = SyncTrigger.parse(names);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("triggers: " + e.getMessage() + ".");
        }
        return CrmConnectorStatus.triggers(triggers.set(settings, parsed, actor));
    }

    List<DeadLetter> deadLetters(String connector, long after, int limit) {
        ConnectorSettings settings = connector(connector);
        return queue.dead(settings.queue(), after, limit).stream().map(item -> view(settings, item)).toList();
    }

    @Transactional
    void replay(String connector, long id, String actor) {
        act(connector, id, queue::replay, "CRM_DEAD_LETTER_REPLAYED", actor);
    }

    @Transactional
    void discard(String connector, long id, String actor) {
        act(connector, id, queue::discard, "CRM_DEAD_LETTER_DISCARDED", actor);
    }

    /** Replays or discards one dead letter of a connector, audited; not found when the connector has no such dead letter. */
    private void act(String connector, long itemId, BiPredicate<String, Long> action, String auditAction, String actor) {
        ConnectorSettings settings = connector(connector);
        if (!action.test(settings.queue(), itemId)) {
            throw ProblemException.notFound("Connector " + settings.name() + " has no dead letter " + itemId + ".");
        }
        trail.record(AuditEvent.of("crmsync", auditAction).by(actor).about("work-item:" + itemId).with("connector", settings.name()).build());
    }

    private ConnectorSettings connector(String name) {
        if (name == null || name.isBlank()) {
            throw ProblemException.invalid("Name the connector: ?connector=<name> (GET /api/v1/crm/connectors lists them).");
        }
        return connectors.named(name.trim()).orElseThrow(() -> ProblemException.notFound("No CRM connector is configured as " + name.trim() + "."));
    }

    /** The guests of a dead letter; none when the item went dead because it held no contacts at all. */
    private static List<String> guests(WorkItem item) {
        try {
            return MessageCodec.decode(item, ContactsDue.class, ContactsDue::read).contacts().stream().map(ContactDue::guest).toList();
        } catch (MessageCodec.MalformedMessageException e) {
            return List.of();
        }
    }

    private static DeadLetter view(ConnectorSettings connector, WorkItem item) {
        return new DeadLetter(item.id(), connector.name(), guests(item), item.attempts(), item.createdAt(),
                item.lastError() == null ? null : Redaction.redact(item.lastError()));
    }

}
