package io.guestbridge.privacy.internal.staff;

import io.guestbridge.platform.api.Roles;
import io.guestbridge.privacy.internal.datamap.DataMap;
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

    @Inject
    RecordOfProcessing record;

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
    @Operation(operationId = "getRecordOfProcessing", summary = "The Art. 30 record of processing activities, as CSV, from the data map",
            description = "One table: a row per system of the data map, then per recipient that is not a system (SPONSOR, PROCESSOR), per "
                    + "retention category (RETENTION) and per security measure (SECURITY); the controller and the DPO's contact on every row, "
                    + "and for each recipient its transfer outside the EEA with the safeguard configured for it.")
    @APIResponse(responseCode = "200", description = "The record", content = @Content(mediaType = "text/csv",
            examples = @ExampleObject(name = "csv", value = "controller,system,kind,categories of data,purposes,recipients,retention,erasure,legal hold,"
                    + "controller contact,dpo contact,categories of subjects,transfer outside the EEA,safeguards,details\r\n"
                    + "\"Hotel Group Ltd\",\"local\",\"LOCAL\",\"identity; contact details\",\"guest WiFi service\",\"hubspot-main; Acme Drinks Ltd (sponsor acme)\","
                    + "\"while the guest keeps visiting\",\"automatic\",\"\",\"privacy@hotelgroup.example\",\"dpo@hotelgroup.example\",\"WiFi guests\",\"none\",\"\",\"\"\r\n"
                    + "\"Hotel Group Ltd\",\"Acme Drinks Ltd (sponsor acme)\",\"SPONSOR\",\"EMAIL; FIRST_NAME\",\"Offers from Acme Drinks\",\"Acme Drinks Ltd (sponsor acme)\","
                    + "\"\",\"the sponsor's, under its agreement\",\"\",\"privacy@hotelgroup.example\",\"dpo@hotelgroup.example\",\"WiFi guests\",\"United States\","
                    + "\"standard contractual clauses (EU) 2021/914\",\"each guest's own consent (sponsor:acme); agreement DSA-2026-014\"\r\n")))
    public Response recordOfProcessing() {
        return Response.ok(record.csv()).header("Content-Disposition", "attachment; filename=\"record-of-processing.csv\"").build();
    }

}
