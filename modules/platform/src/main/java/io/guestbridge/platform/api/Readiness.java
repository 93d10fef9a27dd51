package io.guestbridge.platform.api;

/**
 * Whether this instance may take traffic, decided in one place for every module and published as the one
 * readiness check of {@code /health/ready} (a load balancer sends nothing to an instance that is not ready).
 *
 * <p>An instance is ready when the database answers, the start-up that follows {@link Database.Ready} ran to
 * its end (every module's observer of that event returned: a module that failed to start keeps the instance
 * out of service) and every part registered here is up. A module that needs something running before it can
 * serve (writer threads, workers) registers a part while it starts and says {@link Part#up()} once it runs,
 * {@link Part#down(String)} with a reason when it stops.
 */
public interface Readiness {

    /** Registers a part of this instance that must be up before it takes traffic; it starts down. */
    Part part(String name);

    /** One thing the instance needs running; its state shows in {@code /health/ready}. */
    interface Part {

        void up();

        /** Not serving, and why (no personal data: it is shown to anyone who asks for readiness). */
        void down(String reason);
    }
}
