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

    /** Runs of plain characters are copied whole: the text is the same as escaping one character at a time. */
    @Test
    void escapesAsOneCharacterAtATimeWould() {
        java.util.Random random = new java.util.Random(7);
        char[] alphabet = {'a', 'Z', '0', ' ', '"', '\\', '\n', '\r', '\t', '\u0000', '\u001f', '\u0020', '\u007f', 'é', '\u2028', '\ud83d', '\ude00', '/', ':'};
        for (int n = 0; n < 2000; n++) {
            StringBuilder text = new StringBuilder();
            for (int i = random.nextInt(12); i > 0; i--) {
                text.append(alphabet[random.nextInt(alphabet.length)]);
            }
            String value = text.toString();
            assertEquals("{\"k\":" + quotedOneByOne(value) + "}", Canonical.json(java.util.Map.of("k", value)), value);
            assertEquals(value, Canonical.parseFlat(Canonical.json(java.util.Map.of("k", value))).get("k"));
        }
    }

    private static String quotedOneByOne(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return out.append('"').toString();
    }
}
