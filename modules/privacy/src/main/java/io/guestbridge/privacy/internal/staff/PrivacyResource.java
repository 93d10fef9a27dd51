package io.guestbridge.privacy.internal.staff;

import io.guestbridge.audit.api.Actor;
import io.guestbridge.platform.api.Params;
import io.guestbridge.platform.api.ProblemException;
import io.guestbridge.platform.api.ProblemType;
import io.guestbridge.platform.api.Redaction;
import io.guestbridge.platform.api.Roles;
import io.guestbridge.privacy.internal.exports.SubjectExports;
import io.guestbridge.privacy.internal.lifecycle.PrivacyRequests;
import io.guestbridge.privacy.internal.requests.Corrections;
import io.guestbridge.privacy.internal.requests.PrivacyRequest;
import io.guestbridge.privacy.internal.requests.Regimes;
import io.guestbridge.privacy.internal.requests.RequestCertificates;
import io.guestbridge.privacy.internal.requests.RequestState;
import io.guestbridge.privacy.internal.requests.RequestType;
import io.guestbridge.privacy.internal.steps.RequestSteps;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Data-subject requests through the management API (DPO and operators): intake on the subject's
 * behalf, the DPO's decisions (approve, reject, extend), operators' confirmations of manual steps, and
 * the requests themselves with their steps and history. The subject portal's intake is
 * {@code portal.SubjectPortalResource}.
 */
@Path("privacy/requests")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Privacy requests", description = "Erasure, access, rectification and objection across every system of the data map, on the statutory clock.")
public class PrivacyResource {

    static final String VIEW = "{\"id\":\"5d1e0c7a-3b7e-4c55-9a43-1f0e2d9b7c11\",\"type\":\"ERASURE\",\"regime\":\"GDPR\",\"channel\":\"STAFF\",\"state\":\"IN_PROGRESS\","
            + "\"receivedAt\":\"2026-11-25T08:00:00Z\",\"dueAt\":\"2026-12-25T08:00:00Z\",\"daysLeft\":30,\"overdue\":false,"
            + "\"verifiedBy\":\"reception: passport checked\",\"verifiedAt\":\"2026-11-25T08:00:00Z\",\"steps\":[{\"system\":\"hubspot-main\","
            + "\"kind\":\"CRM\",\"state\":\"CONFIRMED\",\"attempts\":1,\"evidence\":\"status 204, gdpr-delete:204\",\"confirmedAt\":\"2026-11-25T08:00:05Z\"},"
            + "{\"system\":\"paper-forms\",\"kind\":\"MANUAL\",\"state\":\"AWAITING_OPERATOR\",\"attempts\":0,\"evidence\":\"operator task: shred the "
            + "paper registration cards\",\"taskDueAt\":\"2026-12-02T08:00:00Z\"}],\"history\":[{\"at\":\"2026-11-25T08:00:00Z\",\"state\":\"RECEIVED\","
            + "\"note\":\"ERASURE request (Art. 17) through staff\"}]}";

    static final String CERTIFICATE = "{\"format\":\"guestbridge-privacy-request-certificate/1\",\"request\":\"privacy-request:"
            + "5d1e0c7a-3b7e-4c55-9a43-1f0e2d9b7c11\",\"type\":\"ERASURE\",\"state\":\"COMPLETED\",\"receivedAt\":\"2026-11-25T08:00:00Z\","
            + "\"completedAt\":\"2026-11-25T08:00:06Z\",\"systems\":[{\"system\":\"hubspot-main\",\"outcome\":\"CONFIRMED\",\"evidenceSha256\":"
            + "\"9f2c…\"}],\"auditRecords\":[{\"sequence\":1041,\"leafEntry\":\"{\\\"seq\\\":\\\"1041\\\",…}\",\"auditPath\":[\"Qm9…\"]}],"
            + "\"checkpoint\":\"guestbridge.example.com/audit\\n1050\\nq2A…=\\n\\n— guestbridge.example.com/audit Ab3…\\n\",\"signature\":"
            + "\"guestbridge privacy request certificate v1\\n…\\n\\n— guestbridge.example.com/audit Ab3…\\n\",\"verifierKey\":"
            + "\"guestbridge.example.com/audit+1a2b3c4d+AQ…\"}";

    /**
     * The certificate as the document describes it (the server sends the issued bytes, which have exactly these
     * members): named, because an anonymous object schema was merged by the OpenAPI generator with another one.
     */
    @Schema(name = "PrivacyRequestCertificate", requiredProperties = {"format", "request", "type", "state", "receivedAt", "completedAt", "systems",
            "auditRecords", "checkpoint", "signature", "verifierKey"})
    public record CertificateDocument(@Schema(example = "guestbridge-privacy-request-certificate/1") String format,
                                      @Schema(example = "privacy-request:5d1e0c7a-3b7e-4c55-9a43-1f0e2d9b7c11") String request,
                                      String type, String state, Instant receivedAt, Instant completedAt,
                                      List<CertifiedOutcome> systems,
                                      List<CertifiedRecord> auditRecords,
                                      @Schema(description = "The signed checkpoint the proofs reach (C2SP tlog-checkpoint, signed note)") String checkpoint,
                                      @Schema(description = "The signed statement binding the certificate's members (C2SP signed note)") String signature,
                                      @Schema(description = "The audit log's verifier key (C2SP note verifier key)") String verifierKey) {
    }

    /** One system's outcome in a certificate. */
    @Schema(name = "CertifiedSystemOutcome", requiredProperties = {"system", "outcome", "evidenceSha256"})
    public record CertifiedOutcome(String system, String outcome, @Schema(description = "SHA-256 of the step's evidence, hex") String evidenceSha256) {
    }

    /**
     * One audit record of the request in a certificate, with its RFC 9162 inclusion proof against the checkpoint (the
     * proof's hashes in base64). The list members carry no schema annotation: the generator copies a member's array
     * type onto its items.
     */
    @Schema(name = "CertifiedAuditRecord", requiredProperties = {"sequence", "leafEntry", "auditPath"})
    public record CertifiedRecord(@Schema(type = SchemaType.INTEGER, format = "int64") long sequence, String leafEntry, List<String> auditPath) {
    }

    @Inject
    PrivacyRequests requests;

    @Inject
    RequestSteps steps;

    @Inject
    Regimes regimes;

    @Inject
    SubjectExports exports;

    @Inject
    RequestCertificates certificates;

    @Context
    SecurityContext security;

    /** A request taken by staff on the subject's behalf. */
    @Schema(name = "PrivacyIntake")
    public record Intake(@Schema(enumeration = {"ERASURE", "ACCESS", "RECTIFICATION", "OBJECTION", "OPT_OUT"}, required = true,
                                 description = "GDPR and UK GDPR: ERASURE, ACCESS, RECTIFICATION, OBJECTION. CCPA: ACCESS (know), ERASURE (delete), "
                                         + "RECTIFICATION (correct), OPT_OUT (opt out of sale or sharing)") String type,
                         @Schema(example = "jane@example.com", required = true) String email,
                         @Schema(description = "How staff verified the requester is the data subject (no personal data). Without it, a one-time "
                                 + "code is mailed to the address and nothing runs until the subject enters it in the portal.",
                                 example = "reception: passport checked") String verifiedBy,
                         @Schema(description = "RECTIFICATION only: the corrected values (firstName, lastName, phone, birthDate, gender)",
                                 example = "{\"lastName\":\"Smith\"}") Map<String, String> corrections,
                         @Schema(enumeration = {"GDPR", "UK_GDPR", "CCPA"}, description = "The law to answer under; without it, the venue's "
                                 + "(privacy.regime.by-region), else privacy.regime.default") String regime,
                         @Schema(description = "The venue (id) the subject knows us from: its place decides the regime when none is sent",
                                 example = "3f6b1c2e-8a4d-4b1e-9c0f-2d7e5a6b8c9d") String venue) {
    }

    @Schema(name = "PrivacyReason")
    public record Reason(@Schema(required = true, example = "the subject withdrew the request by phone", description = "No personal data") String reason) {
    }

    @Schema(name = "PrivacyExtension")
    public record Extension(@Schema(example = "1", description = "GDPR, UK GDPR: 1 or 2 further months (Art. 12(3)); not for CCPA") Integer months,
                            @Schema(example = "45", description = "CCPA: 45 (its one extension; may be left out); not for GDPR") Integer days,
                            @Schema(required = true, example = "the request covers 14 venues' paper archives") String reason) {
    }

    @Schema(name = "StepConfirmation")
    public record Confirmation(@Schema(required = true, example = "cards of 2026 shredded, certificate 4471") String evidence) {
    }

    @Schema(name = "ExportLink", requiredProperties = "link")
    public record Link(@Schema(description = "One-time download link; expires") String link) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.DPO, Roles.OPERATOR})
    @SecurityRequirement(name = "jwt", scopes = {Roles.DPO, Roles.OPERATOR})
    @Operation(operationId = "receivePrivacyRequest", summary = "Receive a request on the subject's behalf",
            description = "Staff-verified (verifiedBy) requests go on at once; otherwise a one-time code is mailed to the subject. A duplicate of a "
                    + "running request is verified again, then closed pointing at the running one. The regime (sent, else the venue's, else the "
                    + "default) sets the rights and the clock: GDPR and UK GDPR one month after receipt (Art. 12(3)); CCPA 45 days, an opt-out of "
                    + "sale or sharing 15 business days. A type the regime does not have is refused. Audited.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Intake.class),
            examples = {@ExampleObject(name = "erasure", value = "{\"type\":\"ERASURE\",\"email\":\"jane@example.com\",\"verifiedBy\":\"reception: passport checked\"}"),
                    @ExampleObject(name = "rectification", value = "{\"type\":\"RECTIFICATION\",\"email\":\"jane@example.com\",\"verifiedBy\":"
                            + "\"phone call, booking reference checked\",\"corrections\":{\"lastName\":\"Smith\"}}")}))
    @APIResponse(responseCode = "201", description = "Received",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PrivacyRequests.View.class),
                    examples = @ExampleObject(name = "request", value = VIEW)))
    public Response receive(Intake intake) {
        if (intake == null || intake.type() == null || intake.email() == null) {
            throw ProblemException.invalid("Send type and email, and verifiedBy when staff checked the requester's identity.");
        }
        RequestType type = RequestType.parse(intake.type());
        String details = Corrections.forType(type, intake.corrections());
        String verifiedBy = null;
        if (intake.verifiedBy() != null) {
            verifiedBy = intake.verifiedBy().strip();
            if (verifiedBy.isEmpty() || verifiedBy.length() > 200 || Redaction.containsPersonalData(verifiedBy)) {
                throw ProblemException.invalid("verifiedBy says how identity was checked, in 1 to 200 characters and without personal data.");
            }
        }
        Regimes.Choice regime = regimes.choose(intake.regime(), intake.venue());
        return Response.status(201).entity(requests.receiveAndView(type, PrivacyRequests.email(intake.email()), details, PrivacyRequest.STAFF, verifiedBy,
                actor(), null, regime)).build();
    }

    @GET
    @RolesAllowed({Roles.DPO, Roles.OPERATOR, Roles.COMPLIANCE_OFFICER})
    @SecurityRequirement(name = "jwt", scopes = {Roles.DPO, Roles.OPERATOR, Roles.COMPLIANCE_OFFICER})
    @Operation(operationId = "listPrivacyRequests", summary = "Requests by state, soonest due first: open (default), overdue, or a state's name")
    @APIResponse(responseCode = "200", description = "The requests",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PrivacyRequests.View[].class),
                    examples = @ExampleObject(name = "requests", value = "[" + VIEW + "]")))
    public List<PrivacyRequests.View> list(@Parameter(description = "open, overdue or a state (e.g. REQUIRES_INPUT)") @QueryParam("state") String state,
                                           @Parameter(description = "Only requests under this law: GDPR, UK_GDPR or CCPA") @QueryParam("regime") String regime,
                                           @Parameter(description = "At most this many (1-500)") @QueryParam("limit") @DefaultValue("100") int limit) {
        if (limit < 1 || limit > 500) {
            throw Params.invalid("limit", "must be a whole number from 1 to 500");
        }
        return requests.list(state, regime, limit);
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Roles.DPO, Roles.OPERATOR, Roles.COMPLIANCE_OFFICER})
    @SecurityRequirement(name = "jwt", scopes = {Roles.DPO, Roles.OPERATOR, Roles.COMPLIANCE_OFFICER})
    @Operation(operationId = "getPrivacyRequest", summary = "A request: state, days left, each step with its evidence, the full history")
    @APIResponse(responseCode = "200", description = "The request",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PrivacyRequests.View.class),
                    examples = @ExampleObject(name = "request", value = VIEW)))
    public PrivacyRequests.View get(@Parameter(description = "Request id", required = true) @PathParam("id") String id) {
        return requests.view(id).orElseThrow(() -> ProblemException.notFound("There is no privacy request " + id + "."));
    }

    @GET
    @Path("{id}/certificate")
    @Produces({MediaType.APPLICATION_JSON, ProblemType.MEDIA_TYPE})
    @RolesAllowed({Roles.DPO, Roles.COMPLIANCE_OFFICER})
    @SecurityRequirement(name = "jwt", scopes = {Roles.DPO, Roles.COMPLIANCE_OFFICER})
    @Operation(operationId = "getPrivacyRequestCertificate", summary = "The signed certificate of an ended request, to verify offline",
            description = "What was asked, each system's outcome with a SHA-256 of its evidence, when, and the audit records of the request "
                    + "with RFC 9162 inclusion proofs against a signed checkpoint; signed with the audit log's key. Issued once, then always "
                    + "the same. 409 while it is not issuable: the request is still open, ended without being carried out, or its audit records are "
                    + "not numbered and signed yet (Retry-After says when to ask again). Verify it with `guestbridge-launcher.jar verify-certificate --certificate FILE --key audit-verifier.key`.")
    @APIResponse(responseCode = "200", description = "The certificate (format guestbridge-privacy-request-certificate/1, see the README)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "#/components/schemas/PrivacyRequestCertificate"),
                    examples = @ExampleObject(name = "certificate", value = CERTIFICATE)))
    @APIResponse(responseCode = "409", ref = "#/components/responses/conflict")
    public Response certificate(@Parameter(description = "Request id", required = true) @PathParam("id") String id) {
        return Response.ok(certificates.certificate(id, actor()), MediaType.APPLICATION_JSON)
                .header("Content-Disposition", "attachment; filename=\"privacy-request-" + id + "-certificate.json\"").build();
    }

    @POST
    @Path("{id}/approval")
    @RolesAllowed(Roles.DPO)
    @SecurityRequirement(name = "jwt", scopes = Roles.DPO)
    @Operation(operationId = "approvePrivacyRequest", summary = "Approve a verified request awaiting approval (privacy.approval.required-for); its steps start")
    @APIResponse(responseCode = "200", description = "Approved and started", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = PrivacyRequests.View.class), examples = @ExampleObject(name = "request", value = VIEW)))
    @APIResponse(responseCode = "409", ref = "#/components/responses/conflict")
    public PrivacyRequests.View approve(@PathParam("id") String id) {
        return requests.approve(id, actor());
    }

    @POST
    @Path("{id}/rejection")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.DPO)
    @SecurityRequirement(name = "jwt", scopes = Roles.DPO)
    @Operation(operationId = "rejectPrivacyRequest", summary = "Reject a request before it runs (e.g. manifestly unfounded, Art. 12(5)); the subject is told why")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "PrivacyReason"),
            examples = @ExampleObject(name = "reject", value = "{\"reason\":\"the same request was answered last week (Art. 12(5))\"}")))
    @APIResponse(responseCode = "200", description = "Rejected", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = PrivacyRequests.View.class), examples = @ExampleObject(name = "request", value = VIEW)))
    @APIResponse(responseCode = "409", ref = "#/components/responses/conflict")
    public PrivacyRequests.View reject(@PathParam("id") String id, Reason reason) {
        return requests.close(id, RequestState.REJECTED, reason(reason), actor());
    }

    @POST
    @Path("{id}/cancellation")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.DPO, Roles.OPERATOR})
    @SecurityRequirement(name = "jwt", scopes = {Roles.DPO, Roles.OPERATOR})
    @Operation(operationId = "cancelPrivacyRequest", summary = "Cancel a request before it runs (the subject withdrew it)")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "PrivacyReason"),
            examples = @ExampleObject(name = "cancel", value = "{\"reason\":\"the subject withdrew the request by phone\"}")))
    @APIResponse(responseCode = "200", description = "Cancelled", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = PrivacyRequests.View.class), examples = @ExampleObject(name = "request", value = VIEW)))
    @APIResponse(responseCode = "409", ref = "#/components/responses/conflict")
    public PrivacyRequests.View cancel(@PathParam("id") String id, Reason reason) {
        return requests.close(id, RequestState.CANCELLED, reason(reason), actor());
    }

    @POST
    @Path("{id}/extension")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.DPO)
    @SecurityRequirement(name = "jwt", scopes = Roles.DPO)
    @Operation(operationId = "extendPrivacyRequest", summary = "Extend the due date once, before the first period ends, as the request's regime allows; the subject is told why",
            description = "GDPR and UK GDPR: by months 1 or 2. CCPA: by 45 days (days 45, or no period); an opt-out of sale or sharing cannot "
                    + "be extended. A second extension is a conflict.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Extension.class),
            examples = @ExampleObject(name = "extend", value = "{\"months\":1,\"reason\":\"the request covers 14 venues' paper archives\"}")))
    @APIResponse(responseCode = "200", description = "Extended", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = PrivacyRequests.View.class), examples = @ExampleObject(name = "request", value = VIEW)))
    @APIResponse(responseCode = "409", ref = "#/components/responses/conflict")
    public PrivacyRequests.View extend(@PathParam("id") String id, Extension extension) {
        if (extension == null) {
            throw ProblemException.invalid("Send the reason the subject will be told, with months (1 or 2) for GDPR and UK GDPR, or days (45) for CCPA.");
        }
        return requests.extend(id, extension.months(), extension.days(), reason(new Reason(extension.reason())), actor());
    }

    @POST
    @Path("{id}/steps/{system}/confirmation")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPERATOR, Roles.DPO})
    @SecurityRequirement(name = "jwt", scopes = {Roles.OPERATOR, Roles.DPO})
    @Operation(operationId = "confirmPrivacyStep", summary = "Confirm a manual step (a system without an API) with what was done as evidence")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Confirmation.class),
            examples = @ExampleObject(name = "confirm", value = "{\"evidence\":\"cards of 2026 shredded, certificate 4471\"}")))
    @APIResponse(responseCode = "200", description = "Confirmed", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = PrivacyRequests.View.class), examples = @ExampleObject(name = "request", value = VIEW)))
    @APIResponse(responseCode = "409", ref = "#/components/responses/conflict")
    public PrivacyRequests.View confirm(@PathParam("id") String id, @PathParam("system") String system, Confirmation confirmation) {
        return requests.confirmManually(id, system, evidence(confirmation == null ? null : confirmation.evidence()), actor());
    }

    @POST
    @Path("{id}/steps/{system}/resumption")
    // the 202 has no body: a client that accepts only the problem type of its errors must not get 406
    @Produces({MediaType.APPLICATION_JSON, ProblemType.MEDIA_TYPE})
    @RolesAllowed({Roles.OPERATOR, Roles.DPO})
    @SecurityRequirement(name = "jwt", scopes = {Roles.OPERATOR, Roles.DPO})
    @Operation(operationId = "resumePrivacyStep", summary = "Run a pending step again now (after its system was fixed); confirmed steps are never redone")
    @APIResponse(responseCode = "202", description = "Queued")
    @APIResponse(responseCode = "409", ref = "#/components/responses/conflict")
    public Response resume(@PathParam("id") String id, @PathParam("system") String system) {
        get(id);
        if (!steps.resume(id, system, actor())) {
            throw ProblemException.conflict("Request " + id + " has no pending step '" + system + "'.");
        }
        return Response.accepted().build();
    }

    @POST
    @Path("{id}/export-link")
    @RolesAllowed(Roles.DPO)
    @SecurityRequirement(name = "jwt", scopes = Roles.DPO)
    @Operation(operationId = "issuePrivacyExportLink", summary = "A fresh one-time link to a completed access export, to hand over when mail cannot reach the subject",
            description = "Any earlier link stops working. Audited.")
    @APIResponse(responseCode = "200", description = "The link", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Link.class), examples = @ExampleObject(name = "link",
            value = "{\"link\":\"https://guestbridge.example.com/api/v1/public/privacy/exports/3q2-7wEhxT0Yk5m9bQ8aL1cV6nR4sJ0dPzUuGgHhIiK\"}")))
    @APIResponse(responseCode = "409", ref = "#/components/responses/conflict")
    public Link exportLink(@PathParam("id") String id) {
        get(id);
        return new Link(exports.issueLink(id, actor()).orElseThrow(() -> ProblemException.conflict("Request " + id
                + " has no access export to hand out (not an access request, not finished, already downloaded or expired).")));
    }

    private String actor() {
        return Actor.of(security.getUserPrincipal());
    }

    private static String reason(Reason reason) {
        return reason(reason == null ? null : reason.reason());
    }

    /** A reason the subject is told: checked the same for every channel. */
    static String reason(String reason) {
        String text = reason == null ? "" : reason.strip();
        if (text.isEmpty() || text.length() > 300 || Redaction.containsPersonalData(text)) {
            throw ProblemException.invalid("reason: 1 to 300 characters, without personal data (the subject is told it).");
        }
        return text;
    }

    /** What an operator did to finish a manual step: checked the same for every channel. */
    static String evidence(String evidence) {
        String text = evidence == null ? "" : evidence.strip();
        if (text.isEmpty() || text.length() > 300 || Redaction.containsPersonalData(text)) {
            throw ProblemException.invalid("evidence says what was done, in 1 to 300 characters and without personal data.");
        }
        return text;
    }
}
