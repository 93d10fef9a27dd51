package io.guestbridge.webpages.api;

import io.guestbridge.platform.api.Jsonp;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataTableTest {

    @Test
    void aTableNamesItsHeadingAndReadsAsWordsWhereNoWordsNameIt() {
        List<DataTable> tables = DataTable.perModule(Jsonp.JSON.createObjectBuilder()
                .add("crmsync", Jsonp.JSON.createObjectBuilder()
                        .add("crmLinks", Jsonp.JSON.createArrayBuilder().add(Jsonp.JSON.createObjectBuilder().add("crmId", "901").add("linkedAt", "2026")))
                        .add("loyalty_tier", "gold"))
                .build());
        DataTable links = tables.get(0);
        assertEquals("held.crmsync.crmLinks", links.headingKey());
        assertEquals("Crmsync: crm links", links.readableTitle());
        assertEquals(List.of("Crm id", "Linked at"), links.readableColumns());
        DataTable facts = tables.get(1);
        assertEquals("held.crmsync", facts.headingKey(), "a module's single facts");
        assertEquals(List.of("Field", "Value"), facts.readableColumns());
    }

    @Test
    void theSharedWordsHaveEveryEnglishKeyInFrench() throws Exception {
        Properties en = load("/webpages/held.properties");
        Properties fr = load("/webpages/held_fr.properties");
        Set<String> missing = new TreeSet<>(en.stringPropertyNames());
        missing.removeAll(fr.stringPropertyNames());
        assertTrue(missing.isEmpty(), "French lacks " + missing);
        Set<String> extra = new TreeSet<>(fr.stringPropertyNames());
        extra.removeAll(en.stringPropertyNames());
        assertTrue(extra.isEmpty(), "French has words English lacks: " + extra);
        assertTrue(en.size() > 50, "the shared words were read: " + en.size());
    }

    private static Properties load(String resource) throws Exception {
        Properties words = new Properties();
        try (InputStream in = DataTableTest.class.getResourceAsStream(resource)) {
            words.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return words;
    }
}
