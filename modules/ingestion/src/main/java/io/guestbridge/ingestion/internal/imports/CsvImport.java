package io.guestbridge.ingestion.internal.imports;

import io.guestbridge.ingestion.internal.processing.LenientJson;
import io.guestbridge.platform.api.Jsonp;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads a hotspot's "visitors identity" export row by row from a stream: never the whole file in
 * memory. Columns are matched to guest-event fields by header name, forgivingly ("First Name",
 * "first_name" and "FIRSTNAME" are the same), or by an explicit mapping ({@code Login date:connect_time});
 * columns that map to no field are not kept (data minimisation). Each row becomes a generic guest
 * event, the format processing already knows.
 */
final class CsvImport implements AutoCloseable {

    /** The fields a column can map to: those of the generic guest event. */
    static final Set<String> FIELDS = Set.of("email", "full_name", "first_name", "last_name", "phone", "birth_date", "gender",
            "connect_time", "venue_name", "access_point_zone", "dwell_time_minutes", "marketing_consent", "consent_wording_id",
            "consent_wording_version", "consent_pre_ticked", "device_type", "os", "mac", "user_agent");

    static final int MAX_FIELD_CHARS = 1_000;

    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private final Map<Integer, String> columnToField = new TreeMap<>();

    /** A row as read: its line in the file, and either the event or why it cannot be one. */
    record Row(long line, JsonObject event, String rejection) {
    }

    /**
     * @param mapping explicit "header → field" pairs; other headers are matched by name
     * @throws IllegalArgumentException with a reason a person can act on, when the header cannot work
     */
    CsvImport(Reader reader, Map<String, String> mapping) throws IOException {
        this.parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).setIgnoreEmptyLines(true)
                .setAllowMissingColumnNames(true).setDuplicateHeaderMode(org.apache.commons.csv.DuplicateHeaderMode.ALLOW_ALL)
                .get().parse(reader);
        Map<String, String> explicit = new HashMap<>();
        mapping.forEach((header, field) -> explicit.put(LenientJson.normalize(header), field));
        Map<String, String> byNormalizedField = new HashMap<>();
        FIELDS.forEach(f -> byNormalizedField.put(LenientJson.normalize(f), f));
        List<String> headers = parser.getHeaderNames();
        for (int i = 0; i < headers.size(); i++) {
            String normalized = LenientJson.normalize(headers.get(i) == null ? "" : headers.get(i).replace("\uFEFF", ""));
            String field = explicit.containsKey(normalized) ? explicit.get(normalized) : byNormalizedField.get(normalized);
            if (field != null) {
                if (columnToField.containsValue(field)) {
                    throw new IllegalArgumentException("two columns map to " + field + "; map one of them to another field or drop it");
                }
                columnToField.put(i, field);
            }
        }
        for (String header : mapping.keySet()) {
            if (headers.stream().noneMatch(h -> h != null && LenientJson.normalize(h).equals(LenientJson.normalize(header)))) {
                throw new IllegalArgumentException("the mapping names a column \"" + header + "\" that the header line does not have");
            }
        }
        if (!columnToField.containsValue("email")) {
            throw new IllegalArgumentException("no column maps to email; name a column Email or map one, e.g. map=E-mail address:email");
        }
        if (!columnToField.containsValue("connect_time")) {
            throw new IllegalArgumentException("no column maps to connect_time (when the guest connected); name a column connect_time or "
                    + "map one, e.g. map=Login date:connect_time");
        }
        this.records = parser.iterator();
    }

    /** The columns used, as header → field, for the report. */
    Map<String, String> columns() {
        Map<String, String> used = new LinkedHashMap<>();
        List<String> headers = parser.getHeaderNames();
        columnToField.forEach((i, field) -> used.put(headers.get(i), field));
        return used;
    }

    /** The next row, or null at the end. A malformed file (e.g. an unclosed quote) throws with the line. */
    Row next() {
        CSVRecord record;
        try {
            if (!records.hasNext()) {
                return null;
            }
            record = records.next();
        } catch (UncheckedIOException | IllegalStateException e) {
            if (e.getCause() instanceof java.nio.charset.CharacterCodingException) {
                throw new IllegalArgumentException("the file is not UTF-8 text after line " + parser.getCurrentLineNumber());
            }
            throw new IllegalArgumentException("the file is not valid CSV after line " + parser.getCurrentLineNumber()
                    + " (an unclosed quote?)");
        }
        long line = record.getRecordNumber() + 1; // the header is line 1
        JsonObjectBuilder event = Jsonp.JSON.createObjectBuilder();
        for (Map.Entry<Integer, String> column : columnToField.entrySet()) {
            if (column.getKey() >= record.size()) {
                continue;
            }
            String value = record.get(column.getKey());
            if (value == null || value.isBlank()) {
                continue;
            }
            if (value.length() > MAX_FIELD_CHARS) {
                return new Row(line, null, column.getValue() + " is longer than " + MAX_FIELD_CHARS + " characters");
            }
            event.add(column.getValue(), value.strip());
        }
        return new Row(line, event.build(), null);
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
