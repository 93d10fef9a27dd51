package io.guestbridge.ingestion.internal.imports;

import io.guestbridge.ingestion.internal.inbox.WebhookBody;
import io.guestbridge.platform.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An import batch finds the lines its source already delivered by the source's delivery index whatever MariaDB's
 * statistics say: statistics that say one value fills the inbox (as sampling can say of a table that grows fast) would
 * make it read all of the source's rows for each batch.
 */
class ImportDuplicatesPlanTest {

    private final TestDatabase db = TestDatabase.get();

    @Test
    void aBatchFindsItsDuplicatesByTheDeliveryIndexWhateverTheStatisticsSay() throws Exception {
        String source = UUID.randomUUID().toString();
        List<String> batch = new ArrayList<>();
        try (Connection c = db.connect()) {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO ing_source (id, kind, name, time_zone, key_hash, state, created_at) "
                    + "VALUES (?, 'GENERIC', 'plan test', 'Europe/London', ?, 'ACTIVE', NOW(6))")) {
                s.setString(1, source);
                s.setString(2, WebhookBody.sha256(source.getBytes(StandardCharsets.UTF_8)));
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO ing_inbox (source_id, received_at, content_type, body, body_sha256, "
                    + "state, delivery_id) VALUES (?, ?, 'application/json', '{}', ?, 'PROCESSED', ?)")) {
                for (int i = 0; i < 100; i++) {
                    String delivery = "import-line-" + i;
                    batch.add(delivery);
                    s.setString(1, source);
                    s.setObject(2, LocalDateTime.now(ZoneOffset.UTC));
                    s.setString(3, WebhookBody.sha256(delivery.getBytes(StandardCharsets.UTF_8)));
                    s.setString(4, delivery);
                    s.addBatch();
                }
                s.executeBatch();
            }
            try (var others = c.createStatement()) {
                others.executeUpdate("INSERT INTO ing_inbox (source_id, received_at, content_type, body, body_sha256, state, delivery_id) "
                        + "SELECT '" + source + "', NOW(6), 'application/json', '{}', SHA2(seq, 256), 'PROCESSED', CONCAT('earlier-', seq) "
                        + "FROM seq_1_to_20000");
            }
            c.commit();
        }
        batch.add("import-line-new");
        long read = db.rowsReadUnderWorstStatistics("ing_inbox", () -> {
            try (Connection c = db.connect()) {
                Set<String> stored = ImportBatches.alreadyStored(c, source, batch);
                assertEquals(100, stored.size());
                assertTrue(!stored.contains("import-line-new"), "a new line is not a duplicate");
            }
        });
        assertTrue(read < 1_000, "inbox rows read for 101 lines among the source's 20,100: " + read);
    }
}
