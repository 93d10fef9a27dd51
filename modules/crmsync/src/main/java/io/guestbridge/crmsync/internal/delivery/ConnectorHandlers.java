package io.guestbridge.crmsync.internal.delivery;

import io.guestbridge.crmsync.internal.connectors.Connectors;
import io.guestbridge.platform.api.WorkHandler;
import io.guestbridge.platform.api.WorkHandlers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;

/** One work-queue handler per enabled connector, created from configuration at start-up. */
@ApplicationScoped
public class ConnectorHandlers implements WorkHandlers {

    @Inject
    Connectors connectors;

    @Inject
    CrmDelivery delivery;

    @Override
    public List<WorkHandler<?>> handlers() {
        return connectors.enabled().stream().<WorkHandler<?>>map(c -> new ConnectorHandler(c, delivery)).toList();
    }
}
