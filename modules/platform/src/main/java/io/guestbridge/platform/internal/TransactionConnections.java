package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.Jdbc;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.TransactionSynchronizationRegistry;

/** Gives {@link Jdbc} the container's transaction registry as the application starts: one connection per transaction. */
@ApplicationScoped
public class TransactionConnections {

    @Resource
    TransactionSynchronizationRegistry registry;

    void start(@Observes @Initialized(ApplicationScoped.class) Object application) {
        Jdbc.useTransactionRegistry(registry);
    }
}
