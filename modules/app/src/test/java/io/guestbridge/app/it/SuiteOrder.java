package io.guestbridge.app.it;

import org.junit.jupiter.api.Order;

/**
 * Where a test class runs in the suite ({@code @Order} on the class; junit-platform.properties orders classes by it).
 * Classes without one run first, alphabetically. The classes that stop the shared server ({@link SharedPayaraMicro#release()})
 * to start servers of their own come after all of them: a release in the middle of the suite cost the next class a
 * server start (15–30 s on 2 cores) each time.
 */
final class SuiteOrder {

    /** Kills its own server mid-burst on the suite's database. */
    static final int INTAKE_CRASH = Order.DEFAULT + 1;
    /** Two servers of its own on the suite's database, the leader killed under load. */
    static final int SEQUENCER_TAKEOVER = Order.DEFAULT + 2;
    /** A topology of its own (Galera, HAProxy, two or three instances): the heaviest, last. */
    static final int CLUSTER = Order.DEFAULT + 3;

    private SuiteOrder() {
    }
}
