package io.guestbridge.privacy.internal;

import io.guestbridge.platform.api.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** The data map as configured, and the Art. 30 record of processing it produces. */
@Path("privacy/data-map")
@RequestScoped
@Tag(name = "Data map", description = "The systems that hold guest data, and the Art. 30 record of processing they make.")
public class DataMapResource {

    @Inject
    DataMap dataMap;

    /** One system of the map (settings such as URLs and credentials are not shown). */
    @Schema(name = "DataMapSystem", requiredProperties = {"name", "kind", "categories", "purposes", "recipients"})
    public record SystemView(String name, @Schema(enumeration = {"LOCAL", "CRM", "PURPLE", "JDBC", "MANUAL"}) String kind, List<String> categories, List<String> purposes, String retention, List<String> recipients,
                             String legalHold) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.DPO, Roles.COMPLIANCE_OFFICER, Roles.OPERATOR})
    @SecurityRequirement(name = "jwt", scopes = {Roles.DPO, Roles.COMPLIANCE_OFFICER, Roles.OPERATOR})
    @Operation(operationId = "getDataMap", summary = "Every system that holds guest data, with categories, purposes, retention, recipients and legal holds",
            description = "The same entries drive the steps of every request.")
    @APIResponse(responseCode = "200", description = "The data map", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = SystemView[].class), examples = @ExampleObject(name = "map", value = "[{\"name\":\"local\",\"kind\":\"LOCAL\","
            + "\"categories\":[\"identity\",\"contact details\"],\"purposes\":[\"guest WiFi service\"],\"retention\":\"while the guest keeps visiting\","
            + "\"recipients\":[\"the CRMs of this data map\"]},{\"name\":\"finance-archive\",\"kind\":\"MANUAL\",\"categories\":[\"invoices\"],"
            + "\"purposes\":[\"accounting\"],\"retention\":\"10 years\",\"recipients\":[],\"legalHold\":\"tax law requires 10 years (Art. 17(3)(b))\"}]")))
    public List<SystemView> map() {
        return dataMap.systems().stream().map(s -> new SystemView(s.name(), s.kind().name(), s.categories(), s.purposes(), s.retention(), s.recipients(),
                s.hold().orElse(null))).toList();
    }

    @GET
    @Path("record-of-processing")
    @Produces("text/csv")
    @RolesAllowed({Roles.DPO, Roles.COMPLIANCE_OFFICER})
    @SecurityRequirement(name = "jwt", scopes = {Roles.DPO, Roles.COMPLIANCE_OFFICER})
    @Operation(operationId = "getRecordOfProcessing", summary = "The Art. 30 record of processing activities, as CSV, from the data map")
    @APIResponse(responseCode = "200", description = "One row per system", content = @Content(mediaType = "text/csv",
            examples = @ExampleObject(name = "csv", value = "controller,system,kind,categories of data,purposes,recipients,retention,erasure,legal hold\r\n"
                    + "\"Hotel Group Ltd\",\"local\",\"LOCAL\",\"identity; contact details\",\"guest WiFi service\",\"the CRMs of this data map\","
                    + "\"while the guest keeps visiting\",\"automatic\",\"\"\r\n")))
    public Response recordOfProcessing() {
        return Response.ok(dataMap.recordOfProcessingCsv()).header("Content-Disposition", "attachment; filename=\"record-of-processing.csv\"").build();
    }

}
