package io.guestbridge.audit.internal;

import io.guestbridge.audit.api.Actor;
import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditTrail;
import io.guestbridge.platform.api.Params;
import io.guestbridge.platform.api.ProblemException;
import io.guestbridge.platform.api.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The compliance officer's window on the audit trail: query it, and verify that nobody changed it. */
@Path("audit")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Audit trail", description = "The append-only, hash-chained record of every change to personal data, "
        + "consent, sync and privacy requests. Contains pseudonymous ids, never personal data.")
public class AuditResource {

    private static final String RECORD_EXAMPLE = "{\"sequence\":42,\"occurredAt\":\"2026-11-25T08:15:30.123456Z\","
            + "\"actor\":\"system:ingestion-worker\",\"action\":\"CONSENT_GRANTED\",\"module\":\"consent\","
            + "\"subject\":\"guest:0190c8a4-7f1e-7b3a-9c1d-3e5f7a9b1c2d\",\"details\":{\"purpose\":\"marketing_email\",\"wordingVersion\":\"3\"},"
            + "\"previousHash\":\"5b1c…\",\"hash\":\"9f2e…\"}";

    @Inject
    AuditRecords records;

    @Inject
    AuditTrail trail;

    @Context
    SecurityContext security;

    @GET
    @Path("records")
    @RolesAllowed(Roles.COMPLIANCE_OFFICER)
    @SecurityRequirement(name = "jwt", scopes = Roles.COMPLIANCE_OFFICER)
    @Operation(operationId = "listAuditRecords", summary = "Query the audit trail",
            description = "Records in sequence order, filtered by subject, actor, action, module and time range. "
                    + "Page with the returned nextCursor.")
    @APIResponse(responseCode = "200", description = "One page of records",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = AuditRecordView.Page.class),
                    examples = @ExampleObject(name = "page", value = "{\"records\":[" + RECORD_EXAMPLE + "],\"nextCursor\":\"YWZ0ZXI6NDI\"}")))
    public AuditRecordView.Page list(
            @Parameter(description = "Pseudonymous subject reference", example = "guest:0190c8a4-7f1e-7b3a-9c1d-3e5f7a9b1c2d") @QueryParam("subject") String subject,
            @Parameter(description = "Who acted", example = "system:ingestion-worker") @QueryParam("actor") String actor,
            @Parameter(description = "What happened", example = "CONSENT_WITHDRAWN") @QueryParam("action") String action,
            @Parameter(description = "Module that acted", example = "consent") @QueryParam("module") String module,
            @Parameter(description = "From this instant (inclusive), ISO-8601 UTC", example = "2026-11-01T00:00:00Z") @QueryParam("from") String from,
            @Parameter(description = "Before this instant (exclusive), ISO-8601 UTC", example = "2026-12-01T00:00:00Z") @QueryParam("to") String to,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor,
            @Parameter(description = "Records per page, 1 to 1000", schema = @Schema(type = SchemaType.INTEGER, defaultValue = "100")) @QueryParam("limit") String limit) {
        AuditRecords.Filter filter = new AuditRecords.Filter(subject, actor, action, module,
                Params.instant("from", from), Params.instant("to", to));
        AuditRecords.Page page = records.find(filter, cursor, Params.intInRange("limit", limit, 100, 1, 1000));
        return new AuditRecordView.Page(page.records().stream().map(AuditRecordView::of).toList(), page.nextCursor());
    }

    @GET
    @Path("records/{sequence}")
    @RolesAllowed(Roles.COMPLIANCE_OFFICER)
    @SecurityRequirement(name = "jwt", scopes = Roles.COMPLIANCE_OFFICER)
    @Operation(operationId = "getAuditRecord", summary = "One audit record by its sequence number")
    @APIResponse(responseCode = "200", description = "The record",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AuditRecordView.class),
                    examples = @ExampleObject(name = "record", value = RECORD_EXAMPLE)))
    public AuditRecordView get(@Parameter(description = "Sequence number", example = "42", required = true) @PathParam("sequence") String sequence) {
        long seq;
        try {
            seq = Long.parseLong(sequence);
        } catch (NumberFormatException e) {
            throw ProblemException.invalid("sequence must be a whole number");
        }
        return records.find(seq).map(AuditRecordView::of)
                .orElseThrow(() -> ProblemException.notFound("There is no audit record with sequence number " + seq + "."));
    }

    @POST
    @Path("verifications")
    @RolesAllowed(Roles.COMPLIANCE_OFFICER)
    @SecurityRequirement(name = "jwt", scopes = Roles.COMPLIANCE_OFFICER)
    @Transactional
    @Operation(operationId = "verifyAuditTrail", summary = "Verify the audit chain",
            description = "Recomputes every record's hash and link up to the current head and reports the first "
                    + "record that does not hold. The verification itself is recorded in the trail (AUDIT_CHAIN_VERIFIED).")
    @APIResponse(responseCode = "200", description = "The outcome; intact is false when a record was changed, removed or reordered",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ChainVerification.class),
                    examples = {
                            @ExampleObject(name = "intact", value = "{\"intact\":true,\"checkedRecords\":1520,\"headSequence\":1520}"),
                            @ExampleObject(name = "broken", value = "{\"intact\":false,\"checkedRecords\":41,\"headSequence\":1520,"
                                    + "\"firstBroken\":{\"sequence\":42,\"reason\":\"its content does not match its hash: the record was changed\"}}")}))
    public ChainVerification verify() {
        ChainVerification result = records.verify();
        AuditEvent.Builder event = AuditEvent.of("audit", "AUDIT_CHAIN_VERIFIED")
                .by(Actor.of(security.getUserPrincipal()))
                .with("intact", result.intact())
                .with("checkedRecords", result.checkedRecords())
                .with("headSequence", result.headSequence());
        if (result.firstBroken() != null) {
            event.with("firstBrokenSequence", result.firstBroken().sequence());
        }
        trail.record(event.build());
        return result;
    }
}
