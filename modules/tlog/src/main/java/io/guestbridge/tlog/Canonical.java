package io.guestbridge.tlog;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The canonical JSON that audit hashes are computed over: keys in a fixed order, strings escaped one
 * way only, no whitespace. Written here rather than left to a JSON library, whose formatting could
 * change with an upgrade and silently break verification of old records.
 */
public final class Canonical {

    private Canonical() {
    }

    /** A flat object of string values, keys sorted. */
    public static String json(Map<String, String> values) {
        StringBuilder out = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, String> entry : new TreeMap<>(values).entrySet()) {
            out.append(first ? "" : ",");
            string(out, entry.getKey()).append(':');
            string(out, entry.getValue());
            first = false;
        }
        return out.append('}').toString();
    }

    /** An object with members in the given order; a null value is written as null. */
    public static String object(String[][] members) {
        StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < members.length; i++) {
            out.append(i == 0 ? "" : ",");
            string(out, members[i][0]).append(':');
            if (members[i][1] == null) {
                out.append("null");
            } else {
                string(out, members[i][1]);
            }
        }
        return out.append('}').toString();
    }

    /**
     * Reads back what {@link #json(Map)} wrote: one object of string values. Anything else (a number, a nested
     * object, a cut-off text) is refused with an {@link IllegalArgumentException} naming the position, never an
     * index error, so a reader can tell a malformed record from a fault of its own.
     */
    public static Map<String, String> parseFlat(String json) {
        if (json == null || json.length() < 2 || json.charAt(0) != '{') {
            throw new IllegalArgumentException("not a JSON object of strings");
        }
        Map<String, String> out = new LinkedHashMap<>();
        int[] pos = {1};
        if (json.charAt(1) == '}' && json.length() == 2) {
            return out;
        }
        while (true) {
            String key = readString(json, pos);
            expect(json, pos, ':');
            String value = readString(json, pos);
            out.put(key, value);
            if (pos[0] < json.length() && json.charAt(pos[0]) == ',') {
                pos[0]++;
                continue;
            }
            expect(json, pos, '}');
            if (pos[0] != json.length()) {
                throw new IllegalArgumentException("text after the object at " + pos[0]);
            }
            return out;
        }
    }

    private static void expect(String json, int[] pos, char wanted) {
        if (pos[0] >= json.length() || json.charAt(pos[0]) != wanted) {
            throw new IllegalArgumentException("expected '" + wanted + "' at " + pos[0]);
        }
        pos[0]++;
    }

    /** The string quoted and escaped; the runs between characters to escape are appended whole, not one character each. */
    private static StringBuilder string(StringBuilder out, String value) {
        out.append('"');
        int from = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            out.append(value, from, i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(String.format("\\u%04x", (int) c));
            }
            from = i + 1;
        }
        return out.append(value, from, value.length()).append('"');
    }

    private static String readString(String json, int[] pos) {
        if (pos[0] >= json.length() || json.charAt(pos[0]) != '"') {
            throw new IllegalArgumentException("expected a string at " + pos[0]);
        }
        StringBuilder out = new StringBuilder();
        int i = pos[0] + 1; // skip the opening quote
        while (true) {
            if (i >= json.length()) {
                throw new IllegalArgumentException("a string is not closed");
            }
            char c = json.charAt(i);
            if (c == '"') {
                break;
            }
            if (c == '\\') {
                if (i + 1 >= json.length()) {
                    throw new IllegalArgumentException("an escape is cut off at " + i);
                }
                char next = json.charAt(i + 1);
                switch (next) {
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (i + 6 > json.length()) {
                            throw new IllegalArgumentException("a \\u escape is cut off at " + i);
                        }
                        try {
                            out.append((char) Integer.parseInt(json.substring(i + 2, i + 6), 16));
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException("a \\u escape is not hexadecimal at " + i);
                        }
                        i += 4;
                    }
                    default -> out.append(next);
                }
                i += 2;
            } else {
                out.append(c);
                i++;
            }
        }
        pos[0] = i + 1;
        return out.toString();
    }
}
