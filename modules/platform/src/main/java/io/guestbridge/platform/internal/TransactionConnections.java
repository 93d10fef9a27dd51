package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * Gives {@link Jdbc} the container's transaction registry once the database is ready: one connection per
 * transaction from then on. Not at CDI's application start: in an EAR this bean lives in lib/, whose
 * java:comp resources cannot be injected that early (the full-profile smoke test failed so).
 */
@ApplicationScoped
public class TransactionConnections {

    @Resource
    TransactionSynchronizationRegistry registry;

    void start(@Observes Database.Ready ready) {
        Jdbc.useTransactionRegistry(registry);
    }
}
