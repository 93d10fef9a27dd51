package io.guestbridge.ingestion.internal.sources;

import io.guestbridge.ingestion.api.SourceDesk;
import io.guestbridge.platform.api.Roles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Set;

/** {@link SourceDesk} on {@link Sources}, the service the management API's {@link SourceResource} calls, with its checks. */
@ApplicationScoped
public class StaffSourceDesk implements SourceDesk {

    @Inject
    Sources sources;

    @Override
    public List<SourceInfo> list(String actor, Set<String> roles) {
        Roles.requireAny(ROLES, roles, "manage sources");
        return sources.all().stream().map(StaffSourceDesk::info).toList();
    }

    @Override
    public Registered register(String kind, String name, String venueRef, String timeZone, String actor, Set<String> roles) {
        Roles.requireAny(ROLES, roles, "manage sources");
        Source.Registration registration = sources.register(kind, name, venueRef, timeZone, actor);
        return new Registered(info(registration.source()), registration.key().value(),
                Sources.webhookPath(registration.source().kind(), registration.key().value()), registration.signingSecret());
    }

    @Override
    public String rotateSecret(String id, String actor, Set<String> roles) {
        Roles.requireAny(ROLES, roles, "manage sources");
        return sources.rotateSecret(id, actor);
    }

    @Override
    public SourceInfo revoke(String id, String actor, Set<String> roles) {
        Roles.requireAny(ROLES, roles, "manage sources");
        return info(sources.revoke(id, actor));
    }

    private static SourceInfo info(Source s) {
        return new SourceInfo(s.id(), s.kind().name(), s.name(), s.venueRef(), s.zone().getId(), s.active(), s.createdAt(), s.revokedAt());
    }

}
