package io.guestbridge.privacycenter.internal;

import io.guestbridge.platform.api.Jsonp;
import io.guestbridge.webpages.api.DataTable;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The access export made readable: the document the privacy module hands out (JSON, Art. 20) laid out as the
 * tables a person reads and prints — what we hold, module by module, the Art. 15(1) information, the requests —
 * with the document itself and a CSV file per table as downloads. The downloads are inside the page (data
 * links), because the one-time link was spent by opening it and the document is gone from the server.
 */
public final class ExportView {

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
    public DataTable getSystems() {
        return DataTable.of("recipients and retention", article15().getJsonArray("recipientsAndRetention"));
    }

    /** What each module holds: one table per kind of record (profile values with their source, visits, devices, consents…). */
    public List<DataTable> getData() {
        return DataTable.perModule(document.getJsonObject("data"));
    }

    public DataTable getRequests() {
        return DataTable.of("requests", document.getJsonArray("requests"));
    }

    /** The document itself, to download (machine-readable, Art. 20). */
    public String getJsonHref() {
        return "data:application/json;charset=utf-8;base64," + Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private JsonObject article15() {
        JsonObject article15 = document.getJsonObject("article15");
        return article15 == null ? JsonValue.EMPTY_JSON_OBJECT : article15;
    }

    private static List<String> strings(JsonArray array) {
        List<String> values = new ArrayList<>();
        if (array != null) {
            array.forEach(v -> values.add(DataTable.text(v)));
        }
        return values;
    }
}
