package io.guestbridge.tlog;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CanonicalTest {

    @Test
    void whatIsWrittenIsReadBackExactly() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("reason", "quote \" backslash \\ newline \n tab \t bell \u0007 é ✓");
        values.put("count", "3");
        values.put("", "");
        assertEquals(new java.util.TreeMap<>(values), new java.util.TreeMap<>(Canonical.parseFlat(Canonical.json(values))));
        assertEquals(Map.of(), Canonical.parseFlat("{}"));
    }

    @Test
    void anythingButAnObjectOfStringsIsRefusedAsSuch() {
        for (String malformed : List.of("", "{", "[]", "{\"bench\":true}", "{\"a\":1}", "{\"a\":{\"b\":\"c\"}}", "{\"a\":\"b\"",
                "{\"a\":\"b", "{\"a\"}", "{\"a\":\"b\",}", "{\"a\":\"b\"}x", "{\"a\":\"\\u00\"}", "{\"a\":\"\\uzzzz\"}", "{\"a\":\"b\\")) {
            assertThrows(IllegalArgumentException.class, () -> Canonical.parseFlat(malformed), malformed);
        }
    }
}
