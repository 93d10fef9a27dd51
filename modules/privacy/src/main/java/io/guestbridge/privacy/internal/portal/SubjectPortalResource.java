package io.guestbridge.privacy.internal.portal;

import io.guestbridge.platform.api.ClientAddress;
import io.guestbridge.platform.api.ProblemException;
import io.guestbridge.privacy.api.SubjectPortal;
import io.guestbridge.privacy.internal.lifecycle.PrivacyRequests;
import io.guestbridge.privacy.internal.requests.RequestType;
import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The public side, for the subject access request portal: anyone may ask, nothing runs until the
 * emailed one-time code comes back, and the answer is the same whether or not the email is known — a
 * request is created and a code mailed in every case, so the portal cannot be used to learn who is a
 * guest. Rate-limited per email and per client address.
 */
@Path("public/privacy")
@RequestScoped
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Subject portal", description = "Public intake of data-subject requests, verification by emailed code, one-time export downloads.")
public class SubjectPortalResource {

    @Inject
    PrivacyRequests requests;

    @Inject
    SubjectPortal portal;

    @Context
    HttpServletRequest http;

    @Schema(name = "SubjectIntake")
    public record PortalIntake(@Schema(enumeration = {"ERASURE", "ACCESS", "RECTIFICATION", "OBJECTION"}, required = true) String type,
                               @Schema(required = true, example = "jane@example.com") String email,
                               @Schema(description = "RECTIFICATION only: firstName, lastName, phone, birthDate, gender",
                                       example = "{\"lastName\":\"Smith\"}") Map<String, String> corrections) {
    }

    @Schema(name = "SubjectRequestAccepted", requiredProperties = {"requestId", "message", "verifyAt"})
    public record Accepted(String requestId, String message, String verifyAt) {
    }

    /** The shape of the access export a subject downloads (the export itself is written as JSON by SubjectExports). */
    @Schema(name = "SubjectAccessExport", requiredProperties = {"format", "generatedAt", "request", "subject", "summary", "article15", "data",
            "requests"})
    public record AccessExport(String format, Instant generatedAt, String request,
                               @Schema(type = SchemaType.OBJECT, description = "email, and guestId (null when no profile was found)") Object subject,
                               List<String> summary,
                               @Schema(type = SchemaType.OBJECT, description = "The Art. 15(1) information: purposes, recipients, retention, "
                                       + "source, rights") Object article15,
                               @Schema(type = SchemaType.OBJECT, description = "What each module holds about the subject, by module") Object data,
                               List<Object> requests) {
    }

    @Schema(name = "VerificationCode")
    public record Code(@Schema(required = true, example = "40917265") String code) {
    }

    @POST
    @Path("requests")
    @Consumes(MediaType.APPLICATION_JSON)
    @Extension(name = "x-public", value = "true", parseValue = true)
    @Operation(operationId = "submitSubjectRequest", summary = "Ask to erase, see, correct your data or stop marketing; a one-time code is mailed to you",
            description = "Always answers 202 with the same message, whether or not we hold data about the address. Rate-limited per email and per "
                    + "client address (429 with Retry-After).")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PortalIntake.class),
            examples = @ExampleObject(name = "access", value = "{\"type\":\"ACCESS\",\"email\":\"jane@example.com\"}")))
    @APIResponse(responseCode = "202", description = "Received; a code is on its way", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(ref = "SubjectRequestAccepted"), examples = @ExampleObject(name = "accepted", value = "{\"requestId\":"
            + "\"5d1e0c7a-3b7e-4c55-9a43-1f0e2d9b7c11\",\"message\":\"If this address can receive mail, a code is on its way to it. Enter it to "
            + "confirm the request.\",\"verifyAt\":\"/api/v1/public/privacy/requests/5d1e0c7a-3b7e-4c55-9a43-1f0e2d9b7c11/verification\"}")))
    @APIResponse(responseCode = "429", ref = "#/components/responses/rate-limited")
    public Response submit(PortalIntake intake) {
        if (intake == null || intake.type() == null || intake.email() == null) {
            throw ProblemException.invalid("Send type (ERASURE, ACCESS, RECTIFICATION or OBJECTION) and email.");
        }
        RequestType type = RequestType.parse(intake.type());
        String id = portal.submit(SubjectPortal.Right.valueOf(type.name()), intake.email(), intake.corrections(),
                // the mails follow the client's Accept-Language where the module writes that language
                http.getHeader("Accept-Language") == null ? null : http.getLocale(), ClientAddress.of(http));
        return Response.accepted(new Accepted(id, "If this address can receive mail, a code is on its way to it. Enter it to confirm the request.",
                "/api/v1/public/privacy/requests/" + id + "/verification")).build();
    }

    @POST
    @Path("requests/{id}/verification")
    @Consumes(MediaType.APPLICATION_JSON)
    @Extension(name = "x-public", value = "true", parseValue = true)
    @Operation(operationId = "verifySubjectRequest", summary = "Enter the mailed code; the request then runs",
            description = "A limited number of attempts (privacy.verification.max-attempts, default 5); after that, or after the code expired, the "
                    + "request is closed and a new one must be sent.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Code.class),
            examples = @ExampleObject(name = "code", value = "{\"code\":\"40917265\"}")))
    @APIResponse(responseCode = "200", description = "Verified", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = PrivacyRequests.PortalView.class), examples = @ExampleObject(name = "verified",
            value = "{\"id\":\"5d1e0c7a-3b7e-4c55-9a43-1f0e2d9b7c11\",\"type\":\"ACCESS\",\"state\":\"IN_PROGRESS\",\"dueAt\":\"2026-12-25T08:00:00Z\"}")))
    @APIResponse(responseCode = "429", ref = "#/components/responses/rate-limited")
    @APIResponse(responseCode = "409", ref = "#/components/responses/conflict")
    @APIResponse(responseCode = "503", ref = "#/components/responses/unavailable")
    public PrivacyRequests.PortalView verify(@Parameter(description = "The request id from the intake answer", required = true) @PathParam("id") String id,
                                             Code code) {
        SubjectPortal.CodeCheck check = portal.verify(id, code == null ? null : code.code(), ClientAddress.of(http));
        return check.request().map(r -> new PrivacyRequests.PortalView(r.id(), r.right().name(), r.state(), r.dueAt()))
                .orElseThrow(() -> SubjectPortalDesk.refusal(check));
    }

    @GET
    @Path("requests/{id}")
    @Extension(name = "x-public", value = "true", parseValue = true)
    @Operation(operationId = "getSubjectRequest", summary = "Where your request stands")
    @APIResponse(responseCode = "200", description = "The request", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = PrivacyRequests.PortalView.class), examples = @ExampleObject(name = "request",
            value = "{\"id\":\"5d1e0c7a-3b7e-4c55-9a43-1f0e2d9b7c11\",\"type\":\"ACCESS\",\"state\":\"COMPLETED\",\"dueAt\":\"2026-12-25T08:00:00Z\"}")))
    public PrivacyRequests.PortalView status(@PathParam("id") String id) {
        return requests.portalView(id).orElseThrow(() -> ProblemException.notFound("There is no privacy request " + id + "."));
    }

    @GET
    @Path("exports/{token}")
    @Extension(name = "x-public", value = "true", parseValue = true)
    @Operation(operationId = "downloadSubjectExport", summary = "Download your access export, once",
            description = "JSON (Art. 20), beginning with a readable summary and the Art. 15(1) information. The link works once and expires.")
    @APIResponse(responseCode = "200", description = "The export", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(ref = "SubjectAccessExport"),
            examples = @ExampleObject(name = "export", value = "{\"format\":\"guestbridge subject access export v1\",\"summary\":[\"We hold a guest profile "
                    + "about you; every part follows below, with where each value came from.\"],\"article15\":{},\"data\":{},\"requests\":[]}")))
    @APIResponse(responseCode = "429", ref = "#/components/responses/rate-limited")
    public Response download(@PathParam("token") String token) {
        String document = portal.takeExport(token, ClientAddress.of(http)).orElseThrow(() -> ProblemException.notFound(
                "This link is unknown, was used already or has expired. Send a new access request to get a fresh copy."));
        return Response.ok(document).header("Content-Disposition", "attachment; filename=\"my-data.json\"").header("Cache-Control", "no-store").build();
    }
}
