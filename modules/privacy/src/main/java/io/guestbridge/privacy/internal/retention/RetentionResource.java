package io.guestbridge.privacy.internal.retention;

import io.guestbridge.platform.api.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** The retention policies in force and what their last runs removed. */
@Path("privacy/retention")
@RequestScoped
@Tag(name = "Retention", description = "How long each category of data is kept, and the purges that run by themselves.")
public class RetentionResource {

    @Inject
    RetentionRunner runner;

    /** The policies (configured or default) and the last run of each category. */
    @Schema(name = "RetentionOverview", requiredProperties = {"intervalSeconds", "policies", "runs"})
    public record Overview(long intervalSeconds, List<RetentionRunner.Policy> policies, List<RetentionRunner.Run> runs) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.DPO, Roles.COMPLIANCE_OFFICER, Roles.OPERATOR})
    @SecurityRequirement(name = "jwt", scopes = {Roles.DPO, Roles.COMPLIANCE_OFFICER, Roles.OPERATOR})
    @Operation(operationId = "getRetention", summary = "Retention policies per data category and their last runs",
            description = "Each category's retention in days (retention.<category>.days, or the documented default: inactive-profiles 730, "
                    + "crm-dedup-keys 30, dead-letters 30, quarantined-events 30, suppression-records 1095, verification-codes 1, expired-exports 0 days after the link expired) and the "
                    + "last run of each: when, the cutoff, how many items it removed (for inactive-profiles: erasure requests it started), "
                    + "and when it is due next. Runs are every retention.interval-seconds (default 3600), on an idle system too.")
    @APIResponse(responseCode = "200", description = "The policies and the last runs",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Overview.class),
                    examples = @ExampleObject(name = "overview", value = "{\"intervalSeconds\":3600,\"policies\":[{\"category\":\"inactive-profiles\","
                            + "\"description\":\"guest profiles with no visit, stay or login for this long: erased through a system-initiated erasure "
                            + "request\",\"retentionDays\":730,\"configured\":false},{\"category\":\"crm-dedup-keys\",\"description\":\"ids of CRM "
                            + "change events already applied (redelivery detection)\",\"retentionDays\":30,\"configured\":false}],\"runs\":[{\"category\":"
                            + "\"crm-dedup-keys\",\"lastRunAt\":\"2026-11-25T08:00:00Z\",\"lastCutoff\":\"2026-10-26T08:00:00Z\",\"lastCount\":412,"
                            + "\"dueAt\":\"2026-11-25T09:00:00Z\"}]}")))
    @APIResponse(responseCode = "401", ref = "#/components/responses/unauthenticated")
    @APIResponse(responseCode = "403", ref = "#/components/responses/forbidden")
    public Overview overview() {
        return new Overview(runner.intervalSeconds(), runner.policies(), runner.runs());
    }
}
