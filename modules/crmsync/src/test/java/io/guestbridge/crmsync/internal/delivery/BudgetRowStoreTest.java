package io.guestbridge.crmsync.internal.delivery;

import io.guestbridge.crmsync.api.CrmDesk;
import io.guestbridge.crmsync.internal.connectors.ConnectorSettings;
import io.guestbridge.platform.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The request budget's row against a real MariaDB: what a take leaves behind is what the connector's status shows. */
class BudgetRowStoreTest {

    private static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");
    private static final Instant MIDNIGHT = Instant.parse("2026-11-26T00:00:00Z");

    private final BudgetRow row = new BudgetRow();

    BudgetRowStoreTest() {
        row.dataSource = TestDatabase.get().dataSource();
    }

    /** 10 requests per 10 seconds (one a second), 3 a day. */
    private static ConnectorSettings connector() {
        return new ConnectorSettings("budget-" + UUID.randomUUID().toString().substring(0, 8), ConnectorSettings.Type.REST, URI.create("http://127.0.0.1:9"),
                10, Duration.ofMillis(100), 10, Duration.ofSeconds(10), 3, Duration.ofSeconds(5), Map.of(), null, true, null, Map.of(), List.of());
    }

    @Test
    void theStatusShowsTheWindowAndTheDayAsTakingLeavesThem() {
        ConnectorSettings connector = connector();
        assertEquals(new CrmDesk.RequestBudget(10, 10_000, 0, null, 3, 0, MIDNIGHT, null), row.use(connector, T0), "nothing taken yet");

        assertEquals(Optional.empty(), row.take(connector, T0));
        assertEquals(new CrmDesk.RequestBudget(10, 10_000, 1, T0.plusSeconds(10), 3, 1, MIDNIGHT, T0.plusSeconds(1)), row.use(connector, T0),
                "one taken: the window counts from the first take, the next request is paced one second later");

        assertEquals(Optional.of(Duration.ofMillis(500)), row.take(connector, T0.plusMillis(500)), "paced, not taken");
        assertEquals(1, row.use(connector, T0.plusMillis(500)).usedInWindow(), "a refused take uses nothing");

        assertEquals(Optional.empty(), row.take(connector, T0.plusSeconds(1)));
        assertEquals(new CrmDesk.RequestBudget(10, 10_000, 2, T0.plusSeconds(10), 3, 2, MIDNIGHT, T0.plusSeconds(2)), row.use(connector, T0.plusSeconds(1)));
        assertEquals(new CrmDesk.RequestBudget(10, 10_000, 0, null, 3, 2, MIDNIGHT, null), row.use(connector, T0.plusSeconds(10)),
                "the window has passed: its count starts again");

        assertEquals(Optional.empty(), row.take(connector, T0.plusSeconds(11)));
        assertEquals(new CrmDesk.RequestBudget(10, 10_000, 1, T0.plusSeconds(21), 3, 3, MIDNIGHT, MIDNIGHT), row.use(connector, T0.plusSeconds(11)),
                "a new window, and the day spent: the next request waits for midnight");
        assertEquals(Optional.of(Duration.between(T0.plusSeconds(13), MIDNIGHT)), row.take(connector, T0.plusSeconds(13)));

        CrmDesk.RequestBudget nextDay = row.use(connector, MIDNIGHT.plusSeconds(5));
        assertEquals(new CrmDesk.RequestBudget(10, 10_000, 0, null, 3, 0, MIDNIGHT.plusSeconds(86_400), null), nextDay);
        assertNull(nextDay.nextRequestAt());
    }

    @Test
    void aRowFromBeforeTheWindowWasKeptOpensItsWindowAtTheNextTake() throws Exception {
        ConnectorSettings connector = connector();
        try (var c = TestDatabase.get().connect(); var s = c.prepareStatement("INSERT INTO crm_rate (connector, window_start, window_count, day, day_count) "
                + "VALUES (?, '2026-11-25 07:00:00', 48123, '2026-11-25', 2)")) {
            s.setString(1, connector.name());
            s.executeUpdate();
            c.commit();
        }
        assertEquals(new CrmDesk.RequestBudget(10, 10_000, 0, null, 3, 2, MIDNIGHT, null), row.use(connector, T0),
                "a count from before is no window's count");
        assertEquals(Optional.empty(), row.take(connector, T0));
        assertEquals(new CrmDesk.RequestBudget(10, 10_000, 1, T0.plusSeconds(10), 3, 3, MIDNIGHT, MIDNIGHT), row.use(connector, T0));
    }
}
