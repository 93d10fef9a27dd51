package io.guestbridge.ingestion.internal.intake;

import io.guestbridge.ingestion.internal.inbox.Inbox;
import io.guestbridge.ingestion.internal.inbox.WebhookBody;
import io.guestbridge.ingestion.internal.sources.Source;
import io.guestbridge.ingestion.internal.sources.Sources;
import io.guestbridge.platform.api.ClientAddress;
import io.guestbridge.platform.api.ProblemException;
import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
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
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.InputStream;
import java.util.List;

/**
 * Webhooks of senders that sign per Standard Webhooks: generic guest events (the fields a WiFi platform
 * exports, from middleware such as Zapier or MuleSoft, one event or an array) and booking / registration
 * events of a PMS or ticketing system. The signature is checked before anything is stored.
 */
@Path("ingest")
// one instance for every request, the request's headers given to each method, as for Purple's webhook
@ApplicationScoped
@PermitAll
@Tag(name = "Ingestion: signed webhooks", description = "Booking systems and middleware that sign each delivery per Standard Webhooks.")
public class SignedWebhookResource {

    private static final String GUEST_EVENT = "{\"email\":\"guest@example.com\",\"full_name\":\"Jane Smith\",\"phone\":\"+44 7700 900000\","
            + "\"device_type\":\"iPhone\",\"os\":\"iOS 17\",\"connect_time\":\"2025-03-15T14:32:00Z\",\"dwell_time_minutes\":47,"
            + "\"visit_count\":3,\"venue_name\":\"The Grand Hotel - Manchester\",\"access_point_zone\":\"Lobby\","
            + "\"marketing_consent\":true,\"consent_wording_id\":\"portal-marketing\",\"consent_wording_version\":\"4\"}";
    private static final String BOOKING = "{\"type\":\"reservation.confirmed\",\"occurredAt\":\"2026-11-25T08:00:00Z\","
            + "\"reservation\":{\"id\":\"R-1042\",\"status\":\"confirmed\",\"arrival\":\"2026-12-24T15:00\",\"departure\":\"2026-12-27T11:00\","
            + "\"timeZone\":\"Europe/London\",\"room\":\"412\",\"adults\":2},"
            + "\"guest\":{\"id\":\"G-77\",\"email\":\"jane@example.com\",\"phone\":\"+447700900123\",\"firstName\":\"Jane\",\"lastName\":\"Smith\"},"
            + "\"consent\":[{\"purpose\":\"marketing_email\",\"decision\":\"GRANTED\",\"wordingId\":\"booking-terms\",\"wordingVersion\":\"3\",\"preTicked\":false}]}";

    /** The answer to a delivery: every event's inbox id, committed. */
    @Schema(name = "StoredEvents", requiredProperties = {"status", "ids"})
    public record Stored(@Schema(enumeration = "stored") String status,
                         @Schema(implementation = Long[].class) java.util.List<Long> ids) {
    }

    @Inject
    Sources sources;

    @Inject
    SignedDeliveries deliveries;


    @Inject
    WebhookLimits limits;

    @POST
    @Path("guest-events")
    @Produces(MediaType.APPLICATION_JSON)
    @SecurityRequirements
    @Extension(name = "x-public", value = "true", parseValue = true)
    @Extension(name = "x-body-object-or-array", value = "true", parseValue = true)
    @Operation(operationId = "receiveGuestEvents", summary = "Receive guest events (one, or an array of up to 500)",
            description = "Public: authenticated by its Standard Webhooks signature, made with the signing secret of a GENERIC "
                    + "source. Every event is committed to the inbox before the 200. Fields of the generic guest event (email, full_name, phone, connect_time, venue_name, marketing_consent…); unknown fields are kept.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(description = "One event (a JSON object) or an array of up to 500"),
            examples = {@ExampleObject(name = "one event", value = GUEST_EVENT),
                    @ExampleObject(name = "several", value = "[" + GUEST_EVENT + "]")}))
    @APIResponse(responseCode = "200", description = "All events committed",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "StoredEvents"),
                    examples = @ExampleObject(name = "stored", value = "{\"status\":\"stored\",\"ids\":[1042,1043]}")))
    @APIResponse(responseCode = "401", ref = "#/components/responses/unauthenticated")
    @APIResponse(responseCode = "503", ref = "#/components/responses/unavailable")
    public Response guestEvents(@Parameter(description = "Unique id of the delivery; a retry keeps it", example = "msg_2b7f1c") @HeaderParam("webhook-id") String webhookId,
                          @Parameter(description = "Signing time, seconds since the epoch; refused when more than 5 minutes from the server's clock",
                                  example = "1795580400") @HeaderParam("webhook-timestamp") String webhookTimestamp,
                          @Parameter(description = "Space-separated v1,<base64 HMAC-SHA256 of id.timestamp.body>; any one matching a current secret is enough",
                                  example = "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=") @HeaderParam("webhook-signature") String webhookSignature,
                          InputStream body, @Context HttpHeaders headers, @Context HttpServletRequest request) {
        WebhookBody event = read(body, headers, limits.maxBatchBodyBytes(), WebhookBody.Shape.OBJECT_OR_ARRAY);
        Sources.ActiveSource source = deliveries.verify(sources.active(Source.Kind.GENERIC), headers, event.bytes(),
                ClientAddress.of(request), Source.Kind.GENERIC);
        return store(source, event, headers);
    }

    @POST
    @Path("bookings/{sourceKey}")
    @Produces(MediaType.APPLICATION_JSON)
    @SecurityRequirements
    @Extension(name = "x-public", value = "true", parseValue = true)
    @Operation(operationId = "receiveBookingEvent", summary = "Receive a booking or registration event",
            description = "Public: the source key in the URL names a BOOKING source, and the Standard Webhooks signature must "
                    + "be made with that source's secret. Types: reservation.confirmed, reservation.modified, reservation.cancelled, "
                    + "guest.checked_in, guest.checked_out, in the canonical JSON shown (README maps Mews, Opera, Cloudbeds and "
                    + "Eventbrite onto it). Committed before the 200.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT),
            examples = @ExampleObject(name = "reservation confirmed", value = BOOKING)))
    @APIResponse(responseCode = "200", description = "Committed",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "StoredEvents"),
                    examples = @ExampleObject(name = "stored", value = "{\"status\":\"stored\",\"ids\":[1044]}")))
    @APIResponse(responseCode = "401", ref = "#/components/responses/unauthenticated")
    @APIResponse(responseCode = "404", ref = "#/components/responses/not-found")
    @APIResponse(responseCode = "429", ref = "#/components/responses/rate-limited")
    @APIResponse(responseCode = "503", ref = "#/components/responses/unavailable")
    public Response booking(@Parameter(description = "The booking source's key", required = true) @PathParam("sourceKey") String sourceKey,
                        @Parameter(description = "Unique id of the delivery; a retry keeps it", example = "msg_2b7f1c") @HeaderParam("webhook-id") String webhookId,
                          @Parameter(description = "Signing time, seconds since the epoch; refused when more than 5 minutes from the server's clock",
                                  example = "1795580400") @HeaderParam("webhook-timestamp") String webhookTimestamp,
                          @Parameter(description = "Space-separated v1,<base64 HMAC-SHA256 of id.timestamp.body>; any one matching a current secret is enough",
                                  example = "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=") @HeaderParam("webhook-signature") String webhookSignature,
                          InputStream body, @Context HttpHeaders headers, @Context HttpServletRequest request) {
        Sources.ActiveSource source = sources.admit(sourceKey, Source.Kind.BOOKING, ClientAddress.of(request), () -> ProblemException.notFound(
                "No active booking source has this key. Register one (POST /api/v1/sources) and use the webhook URL it returns."));
        WebhookBody event = read(body, headers, limits.maxBodyBytes(), WebhookBody.Shape.OBJECT);
        deliveries.verify(List.of(source), headers, event.bytes(), ClientAddress.of(request), Source.Kind.BOOKING);
        return store(source, event, headers);
    }

    private WebhookBody read(InputStream body, HttpHeaders headers, int limit, WebhookBody.Shape shape) {
        String contentType = headers.getHeaderString(HttpHeaders.CONTENT_TYPE);
        if (contentType == null || contentType.isBlank()) {
            throw new ProblemException(io.guestbridge.platform.api.ProblemType.UNSUPPORTED_MEDIA_TYPE,
                    "Send the events as JSON with Content-Type: application/json.");
        }
        WebhookBody event = WebhookBody.read(body, contentType, headers.getHeaderString("Content-Encoding"),
                headers.getLength(), limit, limits.maxJsonDepth(), shape);
        if (event.text().isBlank()) {
            throw io.guestbridge.platform.api.ProblemException.invalid("The body is empty: send one event object or an array of them.");
        }
        return event;
    }

    private Response store(Sources.ActiveSource source, WebhookBody event, HttpHeaders headers) {
        List<Long> ids = Inbox.await(deliveries.store(source, event, headers.getHeaderString(HttpHeaders.CONTENT_TYPE),
                headers.getHeaderString("webhook-id")));
        return Response.ok("{\"status\":\"stored\",\"ids\":" + ids + "}", MediaType.APPLICATION_JSON).build();
    }
}
