package io.guestbridge.webpages.api;

import io.guestbridge.platform.api.Csv;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Records a module hands out as JSON (an access export's parts) laid out as a table a person reads, with the same
 * table as a CSV download inside the page (a data link: the page may be the only copy, and a same-origin data link
 * needs no second request). Its cells are text; the template escapes them and {@link Csv} neutralises formulas.
 */
public record DataTable(String title, List<String> columns, List<List<String>> rows, String csvHref, String csvName) {

    public static DataTable of(String title, List<String> columns, List<List<String>> rows) {
        StringBuilder csv = new StringBuilder(Csv.row(columns.toArray(String[]::new)));
        rows.forEach(row -> csv.append(Csv.row(row.toArray(String[]::new))));
        String name = title.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("^-|-$", "").toLowerCase() + ".csv";
        return new DataTable(title, List.copyOf(columns), List.copyOf(rows),
                "data:text/csv;charset=utf-8;base64," + Base64.getEncoder().encodeToString(csv.toString().getBytes(StandardCharsets.UTF_8)), name);
    }

    /** An array of records; its columns are every field any record has, in order of appearance. */
    public static DataTable of(String title, JsonArray records) {
        if (records == null) {
            return of(title, List.of(), List.of());
        }
        Set<String> columns = new LinkedHashSet<>();
        for (JsonValue record : records) {
            if (record.getValueType() == JsonValue.ValueType.OBJECT) {
                columns.addAll(record.asJsonObject().keySet());
            }
        }
        if (columns.isEmpty()) {
            columns.add("value");
        }
        List<List<String>> rows = new ArrayList<>();
        for (JsonValue record : records) {
            List<String> row = new ArrayList<>();
            for (String column : columns) {
                row.add(record.getValueType() == JsonValue.ValueType.OBJECT ? text(record.asJsonObject().get(column)) : text(record));
            }
            rows.add(row);
        }
        return of(title, List.copyOf(columns), rows);
    }

    /** One object as field / value rows. */
    public static DataTable keyValues(String title, JsonObject object) {
        List<List<String>> rows = new ArrayList<>();
        object.forEach((key, value) -> rows.add(List.of(key, text(value))));
        return of(title, List.of("field", "value"), rows);
    }

    /**
     * What each module holds (an object of module parts, each an object of record kinds): one table per kind of
     * record titled "module / kind", and the module's single facts in one field / value table.
     */
    public static List<DataTable> perModule(JsonObject modules) {
        List<DataTable> tables = new ArrayList<>();
        if (modules == null) {
            return tables;
        }
        for (Map.Entry<String, JsonValue> module : modules.entrySet()) {
            if (module.getValue().getValueType() != JsonValue.ValueType.OBJECT) {
                continue;
            }
            List<List<String>> facts = new ArrayList<>();
            for (Map.Entry<String, JsonValue> part : module.getValue().asJsonObject().entrySet()) {
                String title = module.getKey() + " / " + part.getKey();
                switch (part.getValue().getValueType()) {
                    case ARRAY -> tables.add(of(title, part.getValue().asJsonArray()));
                    case OBJECT -> tables.add(keyValues(title, part.getValue().asJsonObject()));
                    default -> facts.add(List.of(part.getKey(), text(part.getValue())));
                }
            }
            if (!facts.isEmpty()) {
                tables.add(of(module.getKey(), List.of("field", "value"), facts));
            }
        }
        return tables;
    }

    /**
     * The title as words, for a page that has no heading of its own for it (a part a module added later): "crmsync /
     * crmLinks" reads "Crmsync: crm links", "identity / visitSummary" "Identity: visit summary".
     */
    public String readableTitle() {
        String[] parts = title.split(" / ", 2);
        String module = words(parts[0]);
        return capitalised(parts.length == 1 ? module : module + ": " + words(parts[1]).toLowerCase(Locale.ROOT));
    }

    /** The key of this table's heading in the shared words ({@code held.identity.fields}); a module's facts have {@code held.identity}. */
    public String headingKey() {
        return "held." + title.replace(" / ", ".");
    }

    /** The columns as words ("linkedAt" reads "Linked at"), for a column the page's words have no name for. */
    public List<String> readableColumns() {
        return columns.stream().map(column -> capitalised(words(column).toLowerCase(Locale.ROOT))).toList();
    }

    private static String words(String key) {
        return key.replaceAll("([a-z0-9])([A-Z])", "$1 $2").replace('_', ' ').replace('-', ' ').strip();
    }

    private static String capitalised(String words) {
        return words.isEmpty() ? words : Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    /** A JSON value as the text of a cell: a string as itself, null as nothing, anything else as JSON. */
    public static String text(JsonValue value) {
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return "";
        }
        return value instanceof JsonString string ? string.getString() : value.toString();
    }
}
