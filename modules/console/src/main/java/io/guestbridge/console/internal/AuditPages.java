package io.guestbridge.console.internal;

import io.guestbridge.audit.api.AuditReader;
import io.guestbridge.platform.api.Csv;
import io.guestbridge.platform.api.Jsonp;
import io.guestbridge.platform.api.ProblemException;
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
import java.util.Map;

/**
 * The audit trail for compliance officers: the filter (subject, actor, action, module, time range), paging by
 * cursor through any number of records, and the export of a filtered range as CSV or JSON, each export preceded
 * by a verification of the whole chain whose result goes with it (in the JSON beside the records; in the CSV as
 * the first lines, each starting with '#').
 */
final class AuditPages {

    static final int PAGE = 50;
    /** An export is bounded: a range larger than this is to be narrowed (by time) and exported in parts. */
    static final int EXPORT_MAX = 100_000;

    private AuditPages() {
    }

    /** The filter of a request's query parameters; a value that cannot be read is refused with a problem. */
    static AuditReader.Filter filter(HttpServletRequest request) {
        return new AuditReader.Filter(text(request, "subject"), text(request, "actor"), text(request, "action"), text(request, "module"),
                instant(request, "from"), instant(request, "to"));
    }

    private static String text(HttpServletRequest request, String name) {
        String value = request.getParameter(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        value = value.strip();
        if (value.length() > 128) {
            throw ProblemException.invalid(name + ": at most 128 characters");
        }
        return value;
    }

    /** An instant in ISO-8601 (2026-11-01T00:00:00Z) or a day (2026-11-01, from its start in UTC). */
    private static Instant instant(HttpServletRequest request, String name) {
        String value = text(request, name);
        if (value == null) {
            return null;
        }
        try {
            return value.length() == 10 ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid(name + ": a day such as 2026-11-01 or an instant such as 2026-11-01T08:00:00Z");
        }
    }

    static void exportCsv(HttpServletResponse response, AuditReader reader, AuditReader.Filter filter, AuditReader.Verification verification)
            throws IOException {
        download(response, "text/csv;charset=UTF-8", "audit-export.csv");
        Writer out = response.getWriter();
        out.write("# chain " + (verification.intact() ? "intact" : "BROKEN at record " + verification.firstBrokenSequence() + ": "
                + verification.firstBrokenReason()) + "; checked records " + verification.checkedRecords() + "; head sequence "
                + verification.headSequence() + "; verified at " + Instant.now() + "\r\n");
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
            optional(json, "subject", filter.subject());
            optional(json, "actor", filter.actor());
            optional(json, "action", filter.action());
            optional(json, "module", filter.module());
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
