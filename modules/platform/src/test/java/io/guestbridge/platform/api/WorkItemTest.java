package io.guestbridge.platform.api;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** A work item is equal to another exactly when every component is, as a record's generated equality says. */
class WorkItemTest {

    private static final Instant AT = Instant.parse("2026-12-05T10:00:00.123456Z");

    @Test
    void equalComponentsAreEqualWithTheSameHash() {
        WorkItem a = new WorkItem(7, "crm-hubspot", "guest:1", "{\"a\":1}", 2, 3, "owner", AT, "failed once");
        WorkItem b = new WorkItem(7, new String("crm-hubspot"), new String("guest:1"), new String("{\"a\":1}"), 2, 3, new String("owner"),
                Instant.parse("2026-12-05T10:00:00.123456Z"), new String("failed once"));
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        WorkItem nulls = new WorkItem(7, null, null, null, 2, 3, null, null, null);
        assertEquals(nulls, new WorkItem(7, null, null, null, 2, 3, null, null, null));
        assertNotEquals(nulls, a);
        assertNotEquals(a, nulls);
    }

    @Test
    void anyComponentThatDiffersMakesThemUnequal() {
        WorkItem a = new WorkItem(7, "q", "k", "{}", 2, 3, "owner", AT, null);
        for (WorkItem other : List.of(new WorkItem(8, "q", "k", "{}", 2, 3, "owner", AT, null),
                new WorkItem(7, "r", "k", "{}", 2, 3, "owner", AT, null),
                new WorkItem(7, "q", null, "{}", 2, 3, "owner", AT, null),
                new WorkItem(7, "q", "k", "{ }", 2, 3, "owner", AT, null),
                new WorkItem(7, "q", "k", "{}", 1, 3, "owner", AT, null),
                new WorkItem(7, "q", "k", "{}", 2, 4, "owner", AT, null),
                new WorkItem(7, "q", "k", "{}", 2, 3, "other", AT, null),
                new WorkItem(7, "q", "k", "{}", 2, 3, "owner", AT.plusNanos(1000), null),
                new WorkItem(7, "q", "k", "{}", 2, 3, "owner", AT, "an error"))) {
            assertNotEquals(a, other, other.toString());
            assertNotEquals(other, a, other.toString());
        }
        assertNotEquals(a, "q");
    }
}
