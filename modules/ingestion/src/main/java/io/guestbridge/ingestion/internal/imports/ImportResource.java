package io.guestbridge.ingestion.internal.imports;

import io.guestbridge.audit.api.Actor;
import io.guestbridge.ingestion.internal.inbox.WebhookBody;
import io.guestbridge.ingestion.internal.processing.EventReader;
import io.guestbridge.ingestion.internal.processing.GuestEvent;
import io.guestbridge.ingestion.internal.sources.Source;
import io.guestbridge.ingestion.internal.sources.Sources;
import io.guestbridge.platform.api.Jsonp;
import io.guestbridge.platform.api.ProblemException;
import io.guestbridge.platform.api.ProblemType;
import io.guestbridge.platform.api.Roles;
import io.guestbridge.platform.api.UploadSpool;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * CSV imports of hotspot "visitors identity" exports (a hotspot's table of the people who connected and what they shared). The file is read as a stream and
 * stored in batches, each committed before the next is read, so a 100k-row file never sits in memory
 * and every row reported "accepted" is committed. Rows are keyed by their content: importing the same
 * file again reports every row as a duplicate and changes nothing.
 */
@Path("ingest/imports")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Ingestion: imports", description = "CSV imports of visitor exports, streamed, with a per-row report.")
public class ImportResource {

    private static final int BATCH = 500;

    @Inject
    Sources sources;

    @Inject
    ImportBatches batches;

    @Context
    SecurityContext security;

    @Inject
    @ConfigProperty(name = "ingestion.import.max-rows", defaultValue = "1000000")
    int maxRows;

    @Inject
    @ConfigProperty(name = "ingestion.import.max-bytes", defaultValue = "268435456")
    long maxBytes;

    /** What happened to one row. */
    @Schema(name = "ImportRow", requiredProperties = {"line", "status"})
    public record RowResult(@Schema(type = SchemaType.INTEGER, format = "int64") long line, @Schema(enumeration = {"ACCEPTED", "DUPLICATE", "REJECTED"}) String status,
                            @Schema(type = SchemaType.INTEGER, format = "int64", description = "The inbox id of an accepted row") Long inbox,
                            @Schema(description = "Why a row was rejected") String reason) {
    }

    /** The import's report: counts, the columns used, every row, and where it stopped if the file broke off. */
    @Schema(name = "ImportReport", requiredProperties = {"importId", "source", "columns", "accepted", "duplicate", "rejected", "rows"})
    public record Report(String importId, String source, Map<String, String> columns, int accepted, int duplicate, int rejected,
                         String stoppedAt, List<RowResult> rows) {
    }

    @POST
    @Consumes({"text/csv", "application/csv", MediaType.WILDCARD})
    @RolesAllowed({Roles.OPERATOR, Roles.INTEGRATION})
    @SecurityRequirement(name = "jwt", scopes = {Roles.OPERATOR, Roles.INTEGRATION})
    @Operation(operationId = "importCsv", summary = "Import a visitor export (CSV, streamed)",
            description = "UTF-8 CSV (RFC 4180) with a header line. Columns match the generic guest event's fields by name, ignoring case, "
                    + "spaces and underscores (Email, First Name, connect_time, Venue Name, marketing_consent…), or by explicit "
                    + "mapping: map=Login date:connect_time (repeatable). Columns that map to nothing are not kept. Each row is "
                    + "checked like a guest event; good rows are committed to the inbox in batches and processed like any event. "
                    + "A row already imported from this source (same content) is a DUPLICATE and not stored again. The source "
                    + "must be an active GENERIC source; its time zone applies to times without an offset. If the file breaks off "
                    + "(e.g. an unclosed quote), rows before it stay committed and stoppedAt says where; import the fixed file "
                    + "again and the committed rows come back as duplicates. The file may be sent gzip-compressed "
                    + "(Content-Encoding: gzip); it is read whole before any row is stored, and a file larger than "
                    + "ingestion.import.max-bytes (256 MiB by default, counted after decompression) is refused with 413 and imports nothing.")
    @RequestBody(required = true, content = @Content(mediaType = "text/csv", examples = @ExampleObject(name = "export",
            value = "Email,First Name,Last Name,Login date,Venue Name,marketing_consent,consent_wording_id,consent_wording_version\n"
                    + "jane@example.com,Jane,Smith,2026-11-20T18:02:11Z,The Grand Hotel - Manchester,true,portal-marketing,4\n")))
    @APIResponse(responseCode = "200", description = "The per-row report",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Report.class),
                    examples = @ExampleObject(name = "report", value = "{\"importId\":\"1b2c…\",\"source\":\"7d1f…\",\"columns\":"
                            + "{\"Email\":\"email\",\"Login date\":\"connect_time\"},\"accepted\":1,\"duplicate\":1,\"rejected\":1,"
                            + "\"rows\":[{\"line\":2,\"status\":\"ACCEPTED\",\"inbox\":1042},{\"line\":3,\"status\":"
                            + "\"DUPLICATE\"},{\"line\":4,\"status\":\"REJECTED\",\"reason\":\"the email is not a valid address: the email "
                            + "address needs a local part, an @ and a domain\"}]}")))
    @APIResponse(responseCode = "404", ref = "#/components/responses/not-found")
    public Report importCsv(@Parameter(description = "Id of the GENERIC source the export comes from", required = true)
                            @QueryParam("source") String sourceId,
                            @Parameter(description = "Column mapping, header:field (repeatable)", example = "Login date:connect_time")
                            @QueryParam("map") List<String> map,
                            // the request body's media type, which the document states; OpenAPI has no Content-Type parameter
                            @Parameter(hidden = true) @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                            @Parameter(description = "gzip to send the file compressed; the size limit applies after decompression", example = "gzip")
                            @HeaderParam("Content-Encoding") String contentEncoding,
                            InputStream body) throws IOException {
        Sources.ActiveSource source = source(sourceId);
        checkContentType(contentType);
        Map<String, String> mapping = mapping(map);
        // read whole and within the limit before any row is stored: a file that proves too large imports nothing
        try (UploadSpool upload = UploadSpool.read(body, contentEncoding, maxBytes)) {
            return importRows(source, mapping, upload.open());
        }
    }

    private Report importRows(Sources.ActiveSource source, Map<String, String> mapping, InputStream body) throws IOException {
        String importId = UUID.randomUUID().toString();
        String actor = Actor.of(security.getUserPrincipal());
        List<RowResult> results = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<ImportBatches.Pending> pending = new ArrayList<>(BATCH);
        int accepted = 0;
        int duplicate = 0;
        int rejected = 0;
        String stoppedAt = null;
        EventReader.Origin origin = new EventReader.Origin(source.id(), source.zone(), null, "import", 0, Instant.now(), Instant.now());
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try (CsvImport csv = open(new BufferedReader(new InputStreamReader(body, decoder), 64 * 1024), mapping)) {
            Map<String, String> columns = csv.columns();
            int rows = 0;
            while (true) {
                CsvImport.Row row;
                try {
                    row = csv.next();
                } catch (IllegalArgumentException broken) {
                    stoppedAt = broken.getMessage();
                    break;
                }
                if (row == null) {
                    break;
                }
                if (++rows > maxRows) {
                    stoppedAt = "more than " + maxRows + " rows: split the file";
                    break;
                }
                String reason = row.rejection();
                if (reason == null) {
                    try {
                        EventReader.generic(row.event(), origin);
                    } catch (GuestEvent.Unusable unusable) {
                        reason = unusable.getMessage();
                    }
                }
                if (reason != null) {
                    results.add(new RowResult(row.line(), "REJECTED", null, reason));
                    rejected++;
                    continue;
                }
                String json = canonical(row.event());
                String deliveryId = "import:" + WebhookBody.sha256(json.getBytes(StandardCharsets.UTF_8));
                if (!seen.add(deliveryId)) {
                    results.add(new RowResult(row.line(), "DUPLICATE", null, null));
                    duplicate++;
                    continue;
                }
                pending.add(new ImportBatches.Pending(row.line(), json, deliveryId));
                results.add(null); // filled in when the batch is stored
                if (pending.size() == BATCH) {
                    int[] counts = flush(source.id(), importId, actor, pending, results);
                    accepted += counts[0];
                    duplicate += counts[1];
                }
            }
            if (!pending.isEmpty()) {
                int[] counts = flush(source.id(), importId, actor, pending, results);
                accepted += counts[0];
                duplicate += counts[1];
            }
            return new Report(importId, source.id(), columns, accepted, duplicate, rejected, stoppedAt, results);
        }
    }

    /** Stores a batch and fills in its rows' results (the nulls at the end of the list, in order); returns {accepted, duplicate}. */
    private int[] flush(String sourceId, String importId, String actor, List<ImportBatches.Pending> pending, List<RowResult> results) {
        Map<Long, Long> stored = batches.store(sourceId, importId, actor, pending);
        int accepted = 0;
        int duplicate = 0;
        int slot = results.size() - 1;
        for (int i = pending.size() - 1; i >= 0; i--) {
            while (results.get(slot) != null) {
                slot--;
            }
            ImportBatches.Pending row = pending.get(i);
            Long inbox = stored.get(row.line());
            results.set(slot, inbox == null ? new RowResult(row.line(), "DUPLICATE", null, null) : new RowResult(row.line(), "ACCEPTED", inbox, null));
            if (inbox == null) {
                duplicate++;
            } else {
                accepted++;
            }
        }
        pending.clear();
        return new int[]{accepted, duplicate};
    }

    private static CsvImport open(BufferedReader reader, Map<String, String> mapping) {
        try {
            return new CsvImport(reader, mapping);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("The header line cannot be used: " + e.getMessage() + ".");
        } catch (IOException | java.io.UncheckedIOException e) {
            throw ProblemException.invalid("The header line is not UTF-8 CSV text.");
        }
    }

    private Sources.ActiveSource source(String id) {
        if (id == null || id.isBlank()) {
            throw ProblemException.invalid("Name the source of the export: ?source=<id of an active GENERIC source> (GET /api/v1/sources).");
        }
        return sources.active(Source.Kind.GENERIC).stream().filter(s -> s.id().equals(id.trim())).findFirst()
                .orElseThrow(() -> ProblemException.notFound("No active GENERIC source has id " + id.trim()
                        + "; register one with POST /api/v1/sources (kind GENERIC)."));
    }

    private static void checkContentType(String contentType) {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (!(type.startsWith("text/csv") || type.startsWith("application/csv"))) {
            throw new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE, "Send the export as text/csv (UTF-8).");
        }
        if (type.contains("charset=") && !type.replace(" ", "").contains("charset=utf-8")) {
            throw new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE, "Only UTF-8 CSV is accepted; convert the export to UTF-8.");
        }
    }

    private static Map<String, String> mapping(List<String> map) {
        Map<String, String> mapping = new LinkedHashMap<>();
        for (String pair : map == null ? List.<String>of() : map) {
            int colon = pair.lastIndexOf(':');
            if (colon <= 0 || colon == pair.length() - 1) {
                throw ProblemException.invalid("map must be header:field, e.g. map=Login date:connect_time");
            }
            String field = pair.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            if (!CsvImport.FIELDS.contains(field)) {
                throw ProblemException.invalid("map: unknown field \"" + field + "\"; fields are " + new java.util.TreeSet<>(CsvImport.FIELDS));
            }
            mapping.put(pair.substring(0, colon).trim(), field);
        }
        return mapping;
    }

    /** The row's event as JSON with sorted keys: the same content always gives the same bytes, hence the same key. */
    private static String canonical(JsonObject event) {
        var sorted = Jsonp.JSON.createObjectBuilder();
        new java.util.TreeMap<>(event).forEach(sorted::add);
        return sorted.build().toString();
    }
}
