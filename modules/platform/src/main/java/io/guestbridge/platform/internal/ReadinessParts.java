package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Readiness;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The parts of this instance that must be up before it takes traffic, and whether its start-up ran to the
 * end. Start-up is the delivery of {@link Database.Ready}: this bean observes it last, so it only learns
 * of it once every module's observer returned; an observer that throws stops the delivery, and the instance
 * stays unready instead of serving with a module that never started.
 */
@ApplicationScoped
public class ReadinessParts implements Readiness {

    private static final Logger LOG = Logger.getLogger(ReadinessParts.class.getName());

    /** After every observer of the default priority (APPLICATION + 500) and the platform's own. */
    static final int AFTER_EVERY_MODULE = Interceptor.Priority.PLATFORM_AFTER + 1000;

    static final String NOT_STARTED = "starting: the schema migrations and the modules' start-up have not completed";

    private final Map<String, String> downReasons = new ConcurrentHashMap<>();
    private final Map<String, Boolean> registered = new ConcurrentHashMap<>();
    private volatile boolean started;

    void startUpCompleted(@Observes @Priority(AFTER_EVERY_MODULE) Database.Ready ready) {
        started = true;
        LOG.info(() -> "start-up completed: " + registered.size() + " part(s) registered " + new TreeMap<>(registered).keySet());
    }

    @Override
    public Part part(String name) {
        downReasons.put(name, "starting");
        registered.put(name, Boolean.TRUE);
        return new Part() {
            @Override
            public void up() {
                downReasons.remove(name);
            }

            @Override
            public void down(String reason) {
                downReasons.put(name, reason == null || reason.isBlank() ? "down" : reason);
            }
        };
    }

    boolean started() {
        return started;
    }

    /** Every registered part with its state: "UP", or why it is not. */
    Map<String, String> states() {
        Map<String, String> states = new TreeMap<>();
        registered.keySet().forEach(name -> states.put(name, downReasons.getOrDefault(name, "UP")));
        return states;
    }

    boolean allPartsUp() {
        return downReasons.isEmpty();
    }
}
