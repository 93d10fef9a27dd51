package io.guestbridge.console.internal;

import io.guestbridge.audit.api.AuditReader;
import io.guestbridge.platform.api.Csv;
import io.guestbridge.platform.api.Jsonp;
import io.guestbridge.webpages.api.PageRenderer;
import jakarta.json.stream.JsonGenerator;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The audit trail for compliance officers: the filter (subject, actor, action, module, time range), paging by
 * cursor through any number of records, and the export of a filtered range as CSV or JSON, each export preceded
 * by a verification of the whole chain whose result goes with it (in the JSON beside the records and the filter; in the
 * CSV as the first lines, each starting with '#', the filter among them). Each of subject, actor, action and module takes
 * several values ({@link #values}).
 */
final class AuditPages {

    static final int PAGE = 50;
    /** An export is bounded: a range larger than this is to be narrowed (by time) and exported in parts. */
    static final int EXPORT_MAX = 100_000;

    private AuditPages() {
    }

    /** The fields that take several values, each a request parameter. */
    static final List<String> LIST_FIELDS = List.of("subject", "actor", "action", "module");
    static final int VALUE_MAX_LENGTH = 128;

    /**
     * A filter the page cannot use, told in the page's language: the field, what is wrong ({@code tooMany}, {@code tooLong},
     * {@code time}) and the figures the message names.
     */
    static final class InvalidFilter extends RuntimeException {
        final String field;
        final String reason;
        final List<Object> figures;

        InvalidFilter(String field, String reason, Object... figures) {
            super(field + ": " + reason, null, false, false);
            this.field = field;
            this.reason = reason;
            this.figures = List.of(figures);
        }
    }

    /**
     * The filter of a request's parameters. A field's values come from repeated parameters and from a list typed in one box,
     * separated by commas or line breaks (what a person pastes from a spreadsheet or a ticket), so it works without JavaScript.
     */
    static AuditReader.Filter filter(HttpServletRequest request) {
        for (String field : LIST_FIELDS) {
            List<String> values = values(request, field);
            if (values.size() > AuditReader.MAX_VALUES) {
                throw new InvalidFilter(field, "tooMany", AuditReader.MAX_VALUES, values.size());
            }
            if (values.stream().anyMatch(v -> v.length() > VALUE_MAX_LENGTH)) {
                throw new InvalidFilter(field, "tooLong", VALUE_MAX_LENGTH);
            }
        }
        return new AuditReader.Filter(values(request, "subject"), values(request, "actor"), values(request, "action"), values(request, "module"),
                instant(request, "from"), instant(request, "to"));
    }

    /** A field's values as typed: every repeat of the parameter, split at commas and line breaks, stripped, blanks and repeats dropped. */
    static List<String> values(HttpServletRequest request, String name) {
        String[] given = request.getParameterValues(name);
        if (given == null) {
            return List.of();
        }
        return Arrays.stream(given).flatMap(v -> SEPARATORS.splitAsStream(v)).map(String::strip).filter(v -> !v.isEmpty()).distinct().toList();
    }

    private static final Pattern SEPARATORS = Pattern.compile("[,\\r\\n]+");

    /** An instant in ISO-8601 (2026-11-01T00:00:00Z) or a day (2026-11-01, from its start in UTC). */
    private static Instant instant(HttpServletRequest request, String name) {
        String value = request.getParameter(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        value = value.strip();
        try {
            return value.length() == 10 ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidFilter(name, "time");
        }
    }

    static void exportCsv(HttpServletResponse response, AuditReader reader, AuditReader.Filter filter, AuditReader.Verification verification)
            throws IOException {
        download(response, "text/csv;charset=UTF-8", "audit-export.csv");
        Writer out = response.getWriter();
        out.write("# chain " + (verification.intact() ? "intact" : "BROKEN at record " + verification.firstBrokenSequence() + ": "
                + verification.firstBrokenReason()) + "; checked records " + verification.checkedRecords() + "; head sequence "
                + verification.headSequence() + "; verified at " + Instant.now() + "\r\n");
        out.write("# filter " + describe(filter) + "\r\n");
        out.write(Csv.row("sequence", "occurredAt", "actor", "action", "module", "subject", "details", "previousHash", "hash"));
        each(reader, filter, entry -> out.write(Csv.row(Long.toString(entry.sequence()), entry.occurredAt().toString(), entry.actor(), entry.action(),
                entry.module(), entry.subject() == null ? "" : entry.subject(), details(entry.details()),
                entry.previousHash() == null ? "" : entry.previousHash(), entry.hash())));
    }

    static void exportJson(HttpServletResponse response, AuditReader reader, AuditReader.Filter filter, AuditReader.Verification verification)
            throws IOException {
        download(response, "application/json", "audit-export.json");
        try (JsonGenerator json = Jsonp.JSON.createGenerator(response.getOutputStream())) {
            json.writeStartObject();
            json.writeStartObject("filter");
            values(json, "subject", filter.subjects());
            values(json, "actor", filter.actors());
            values(json, "action", filter.actions());
            values(json, "module", filter.modules());
            optional(json, "from", filter.from() == null ? null : filter.from().toString());
            optional(json, "to", filter.to() == null ? null : filter.to().toString());
            json.writeEnd();
            json.writeStartObject("verification")
                    .write("intact", verification.intact())
                    .write("checkedRecords", verification.checkedRecords())
                    .write("headSequence", verification.headSequence())
                    .write("verifiedAt", Instant.now().toString());
            if (verification.firstBrokenSequence() != null) {
                json.write("firstBrokenSequence", verification.firstBrokenSequence()).write("firstBrokenReason", verification.firstBrokenReason());
            }
            json.writeEnd();
            json.writeStartArray("records");
            each(reader, filter, entry -> {
                json.writeStartObject().write("sequence", entry.sequence()).write("occurredAt", entry.occurredAt().toString())
                        .write("actor", entry.actor()).write("action", entry.action()).write("module", entry.module());
                optional(json, "subject", entry.subject());
                json.writeStartObject("details");
                entry.details().forEach(json::write);
                json.writeEnd();
                optional(json, "previousHash", entry.previousHash());
                json.write("hash", entry.hash()).writeEnd();
            });
            json.writeEnd();
            json.writeEnd();
        }
    }

    interface EntryWriter {
        void write(AuditReader.Entry entry) throws IOException;
    }

    private static void each(AuditReader reader, AuditReader.Filter filter, EntryWriter writer) throws IOException {
        String cursor = null;
        int written = 0;
        do {
            AuditReader.Page page = reader.find(filter, cursor, 1000);
            for (AuditReader.Entry entry : page.entries()) {
                if (written++ >= EXPORT_MAX) {
                    return;
                }
                writer.write(entry);
            }
            cursor = page.nextCursor();
        } while (cursor != null);
    }

    /** The filter on one line: each field given with its values joined by " | ", or "none". */
    static String describe(AuditReader.Filter filter) {
        List<String> parts = new java.util.ArrayList<>();
        Map<String, List<String>> fields = new java.util.LinkedHashMap<>();
        fields.put("subject", filter.subjects());
        fields.put("actor", filter.actors());
        fields.put("action", filter.actions());
        fields.put("module", filter.modules());
        fields.forEach((name, values) -> {
            if (!values.isEmpty()) {
                parts.add(name + "=" + String.join(" | ", values));
            }
        });
        if (filter.from() != null) {
            parts.add("from=" + filter.from());
        }
        if (filter.to() != null) {
            parts.add("before=" + filter.to());
        }
        return parts.isEmpty() ? "none" : String.join("; ", parts).replaceAll("[\\r\\n]", " ");
    }

    /** A field's values, always as a list (one value too), omitted when the field is not filtered. */
    private static void values(JsonGenerator json, String name, List<String> values) {
        if (!values.isEmpty()) {
            json.writeStartArray(name);
            values.forEach(json::write);
            json.writeEnd();
        }
    }

    private static void optional(JsonGenerator json, String name, String value) {
        if (value != null) {
            json.write(name, value);
        }
    }

    private static String details(Map<String, String> details) {
        StringBuilder text = new StringBuilder();
        details.forEach((k, v) -> text.append(text.length() == 0 ? "" : "; ").append(k).append('=').append(v));
        return text.toString();
    }

    private static void download(HttpServletResponse response, String type, String name) {
        PageRenderer.headers(response);
        response.setContentType(type);
        response.setHeader("Content-Disposition", "attachment; filename=\"" + name + "\"");
    }
}
