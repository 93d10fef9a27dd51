package io.guestbridge.privacy.internal.datamap;

import io.guestbridge.crmsync.api.CrmErasure;
import io.guestbridge.crmsync.api.Sponsors;
import io.guestbridge.identity.api.NormalizedEmail;
import io.guestbridge.platform.api.ErasureResult;
import io.guestbridge.platform.testing.MapConfig;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataMapTest {

    private final AtomicInteger sponsorReads = new AtomicInteger();

    private DataMap map(Map<String, String> settings) {
        DataMap map = new DataMap();
        map.config = new MapConfig(settings);
        map.crms = new CrmErasure() {
            @Override
            public List<String> connectors() {
                return List.of("hubspot-main");
            }

            @Override
            public List<Turn> turns(List<String> connectors) {
                throw new UnsupportedOperationException();
            }

            @Override
            public ErasureResult erase(Turn turn, NormalizedEmail email) {
                throw new UnsupportedOperationException();
            }
        };
        map.sponsors = new Sponsors() {
            @Override
            public List<Recipient> recipients() {
                sponsorReads.incrementAndGet();
                return List.of(new Recipient("sp-1", "Acme, Ltd", "DSA-1", "offers", List.of("EMAIL"), Instant.EPOCH, null, true,
                        "sponsor:sp-1", null));
            }

            @Override
            public List<String> stopSharingWith(String guestId, String actor, String because) {
                throw new UnsupportedOperationException();
            }

            @Override
            public List<String> receivedBy(String guestId) {
                throw new UnsupportedOperationException();
            }
        };
        return map;
    }

    private static final Map<String, String> SETTINGS = Map.of(
            "privacy.systems", "purple-wifi, archive",
            "privacy.system.purple-wifi.kind", "purple",
            "privacy.system.purple-wifi.base-url", "http://127.0.0.1:9/",
            "privacy.system.purple-wifi.statement", "DELETE FROM visitors WHERE email = ?",
            "privacy.system.archive.task", "shred the paper forms",
            "privacy.system.archive.kind", "manual",
            "privacy.system.archive.hold", " tax law keeps invoices 10 years ",
            "privacy.processors", "Mailer Inc");

    @Test
    void everySystemIsListedThisDatabaseFirstWithItsKind() {
        DataMap map = map(SETTINGS);
        assertEquals(Map.of("local", DataMap.Kind.LOCAL, "hubspot-main", DataMap.Kind.CRM, "purple-wifi", DataMap.Kind.PURPLE,
                "archive", DataMap.Kind.MANUAL), map.kinds());
        assertEquals(List.of("local", "hubspot-main", "purple-wifi", "archive"), List.copyOf(map.kinds().keySet()));
        assertEquals(List.of("local", "hubspot-main", "purple-wifi", "archive"), map.systems().stream().map(DataMap.Entry::name).toList());
        assertEquals(1, sponsorReads.get(), "the whole map reads the sponsors once, for this database's recipients");
    }

    @Test
    void oneSystemIsTheSameEntryAsInTheWholeMapAndReadsNoSponsorsUnlessItIsThisDatabase() {
        DataMap map = map(SETTINGS);
        List<DataMap.Entry> all = map.systems();
        sponsorReads.set(0);
        assertEquals(all.get(2), map.system("purple-wifi").orElseThrow());
        assertEquals("http://127.0.0.1:9/", map.system("purple-wifi").orElseThrow().setting("base-url"));
        assertEquals(all.get(1), map.system("hubspot-main").orElseThrow());
        assertEquals("tax law keeps invoices 10 years", map.system("archive").orElseThrow().hold().orElseThrow());
        assertEquals(Map.of("base-url", "http://127.0.0.1:9/"), map.system("purple-wifi").orElseThrow().settings(),
                "a system's own kind's settings only: a JDBC statement means nothing to Purple");
        assertEquals(Map.of("task", "shred the paper forms"), map.system("archive").orElseThrow().settings());
        assertEquals(0, sponsorReads.get(), "a step in another system does not read the sponsors");
        DataMap.Entry local = map.system("local").orElseThrow();
        assertEquals(all.get(0), local);
        assertEquals(List.of("hubspot-main", "Acme Ltd (sponsor sp-1)", "Mailer Inc"), local.recipients());
        assertEquals(1, sponsorReads.get());
        assertTrue(map.system("warehouse").isEmpty(), "a system that is not in the map");
        sponsorReads.set(0);
        assertEquals(all.subList(1, all.size()), map.otherSystems(), "every system but this database, in the map's order");
        assertEquals(0, sponsorReads.get(), "an erasure's other steps are made without reading the sponsors");
    }

    @Test
    void aSystemOfAnUnknownKindIsRefusedWithTheSettingToFix() {
        DataMap map = map(Map.of("privacy.systems", "wh", "privacy.system.wh.kind", "ftp"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> map.system("wh"));
        assertEquals("privacy.system.wh.kind must be purple, jdbc or manual, not 'ftp'", e.getMessage());
        assertThrows(IllegalStateException.class, map::systems);
    }
}
