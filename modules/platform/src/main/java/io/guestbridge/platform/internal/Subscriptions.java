package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.Message;
import io.guestbridge.platform.api.WorkHandler;
import io.guestbridge.platform.api.WorkHandlers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who receives which message: every {@link WorkHandler} bean and every handler a {@link WorkHandlers} group
 * makes, found once. The workers serve these handlers; publishing routes a message to the queues of those
 * of its type that are subscribed. Both read the same list, so a message is never published to a queue that nobody works.
 */
@ApplicationScoped
public class Subscriptions {

    @Inject
    @Any
    Instance<WorkHandler<?>> handlerBeans;

    @Inject
    @Any
    Instance<WorkHandlers> handlerGroups;

    private volatile List<WorkHandler<?>> handlers;
    private final Map<Class<?>, List<String>> queuesByType = new ConcurrentHashMap<>();

    /** Every handler of the deployment, in a stable order. */
    public List<WorkHandler<?>> handlers() {
        List<WorkHandler<?>> found = handlers;
        if (found == null) {
            synchronized (this) {
                found = handlers;
                if (found == null) {
                    List<WorkHandler<?>> all = new ArrayList<>();
                    handlerBeans.forEach(all::add);
                    handlerGroups.forEach(group -> all.addAll(group.handlers()));
                    found = List.copyOf(all);
                    handlers = found;
                }
            }
        }
        return found;
    }

    /** The queues that receive a message of this type, each once: those of its {@link WorkHandler#subscribed() subscribed} handlers. */
    public List<String> queuesOf(Class<? extends Message> type) {
        return queuesByType.computeIfAbsent(type, t -> queuesOf(handlers(), t));
    }

    static List<String> queuesOf(List<WorkHandler<?>> handlers, Class<?> type) {
        return handlers.stream().filter(h -> h.type().equals(type) && h.subscribed()).map(WorkHandler::queue).distinct().toList();
    }
}
