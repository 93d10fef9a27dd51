package io.guestbridge.privacycenter.internal;

import io.guestbridge.platform.api.Csv;
import io.guestbridge.platform.api.Jsonp;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The access export made readable: the document the privacy module hands out (JSON, Art. 20) laid out as the
 * tables a person reads and prints — what we hold, module by module, the Art. 15(1) information, the requests —
 * with the document itself and a CSV file per table as downloads. The downloads are inside the page (data
 * links), because the one-time link was spent by opening it and the document is gone from the server.
 */
public final class ExportView {

    /** One table: a title, its columns, its rows, and the same as a CSV download. */
    public record Table(String title, List<String> columns, List<List<String>> rows, String csvHref, String csvName) {
    }

    private final JsonObject document;
    private final String json;

    ExportView(String json) {
        this.json = json;
        try (JsonReader reader = Jsonp.JSON.createReader(new StringReader(json))) {
            this.document = reader.readObject();
        }
    }

    public String getGeneratedAt() {
        return document.getString("generatedAt", "");
    }

    public String getReference() {
        return document.getString("request", "");
    }

    public List<String> getSummary() {
        return strings(document.getJsonArray("summary"));
    }

    public String getController() {
        return article15().getString("controller", "");
    }

    public String getPurposes() {
        return String.join(", ", strings(article15().getJsonArray("purposes")));
    }

    public String getCategories() {
        return String.join(", ", strings(article15().getJsonArray("categories")));
    }

    public String getSource() {
        return article15().getString("source", "");
    }

    public String getRights() {
        return article15().getString("rights", "");
    }

    public String getAutomatedDecisions() {
        return article15().getString("automatedDecisions", "");
    }

    /** Who holds the data, for what, how long and who receives it (Art. 15(1)(c), (d)). */
    public Table getSystems() {
        return table("recipients and retention", article15().getJsonArray("recipientsAndRetention"));
    }

    /** What each module holds: one table per kind of record (profile values with their source, visits, devices, consents…). */
    public List<Table> getData() {
        List<Table> tables = new ArrayList<>();
        JsonObject data = document.getJsonObject("data");
        if (data == null) {
            return tables;
        }
        for (Map.Entry<String, JsonValue> module : data.entrySet()) {
            if (module.getValue().getValueType() != JsonValue.ValueType.OBJECT) {
                continue;
            }
            List<List<String>> facts = new ArrayList<>();
            for (Map.Entry<String, JsonValue> part : module.getValue().asJsonObject().entrySet()) {
                String title = module.getKey() + " / " + part.getKey();
                switch (part.getValue().getValueType()) {
                    case ARRAY -> tables.add(table(title, part.getValue().asJsonArray()));
                    case OBJECT -> tables.add(keyValues(title, part.getValue().asJsonObject()));
                    default -> facts.add(List.of(part.getKey(), text(part.getValue())));
                }
            }
            if (!facts.isEmpty()) {
                tables.add(table(module.getKey(), List.of("field", "value"), facts));
            }
        }
        return tables;
    }

    public Table getRequests() {
        return table("requests", document.getJsonArray("requests"));
    }

    /** The document itself, to download (machine-readable, Art. 20). */
    public String getJsonHref() {
        return "data:application/json;charset=utf-8;base64," + Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private JsonObject article15() {
        JsonObject article15 = document.getJsonObject("article15");
        return article15 == null ? JsonValue.EMPTY_JSON_OBJECT : article15;
    }

    private static Table keyValues(String title, JsonObject object) {
        List<List<String>> rows = new ArrayList<>();
        object.forEach((key, value) -> rows.add(List.of(key, text(value))));
        return table(title, List.of("field", "value"), rows);
    }

    /** An array of records as a table; its columns are every field any record has, in order of appearance. */
    private static Table table(String title, JsonArray records) {
        if (records == null) {
            return table(title, List.of(), List.of());
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
        return table(title, List.copyOf(columns), rows);
    }

    private static Table table(String title, List<String> columns, List<List<String>> rows) {
        StringBuilder csv = new StringBuilder(Csv.row(columns.toArray(String[]::new)));
        rows.forEach(row -> csv.append(Csv.row(row.toArray(String[]::new))));
        String name = title.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("^-|-$", "").toLowerCase() + ".csv";
        return new Table(title, columns, rows,
                "data:text/csv;charset=utf-8;base64," + Base64.getEncoder().encodeToString(csv.toString().getBytes(StandardCharsets.UTF_8)), name);
    }

    private static String text(JsonValue value) {
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return "";
        }
        return value instanceof JsonString string ? string.getString() : value.toString();
    }

    private static List<String> strings(JsonArray array) {
        List<String> values = new ArrayList<>();
        if (array != null) {
            array.forEach(v -> values.add(text(v)));
        }
        return values;
    }
}
