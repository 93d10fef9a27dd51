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
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
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
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.InputStream;

/**
 * Purple's webhook listener. Purple cannot sign requests, so the source is known by the
 * secret key in the URL; it posts only over HTTPS and wants {@code 200} with the header
 * {@code wifiWebhookListener: 1}, also when it validates the URL. It retries a failed delivery every
 * three hours for as long as it takes: every answer here is either "committed" or a clear refusal.
 */
@Path("ingest/purple/{sourceKey}")
// one instance for every request, the request's headers given to each method: a burst of logins creates and injects no
// resource per request (that took 7 % of the request threads' CPU in bench/processing)
@ApplicationScoped
@PermitAll
@Tag(name = "Ingestion: Purple", description = "Purple guest-WiFi logins: key in the URL, 200 with wifiWebhookListener: 1.")
public class PurpleWebhookResource {

    static final String LISTENER_HEADER = "wifiWebhookListener";

    private static final String FIXTURE = "{\"client\":{\"mac\":\"00-01-02-03-04-05\",\"userAgent\":\"Mozilla/5.0 (X11; Linux x86_64)\"},"
            + "\"company\":{\"id\":999,\"name\":\"Your company name\"},\"session\":{\"authenticationTime\":\"2018-01-18T13:27:08+0000\"},"
            + "\"user\":{\" dateOfBirth\":\"1970-01-01\",\"email\":\"webhook@test.com\",\"firstName\":\"Webhook\",\" gender\":\"F\",\"id\":888,"
            + "\"lastName\":\"Test\",\"provider\":\"Facebook\",\"visitCountsFor Venues\":{\"888\":7}},"
            + "\"venue\":{\"id\":888,\"latitude\":\"53.4857388\",\"longitude\":\"-2 .0999813\",\"name\":\"Your venue name\"}}";

    /** The answer Purple gets (it reads only the status and the header). */
    @Schema(name = "PurpleAck", requiredProperties = "status")
    public record Ack(@Schema(enumeration = {"stored", "listening"}) String status,
                      @Schema(type = SchemaType.INTEGER, format = "int64", description = "The inbox id, when stored") Long id) {
    }

    @Inject
    Sources sources;

    @Inject
    Inbox inbox;

    @Inject
    WebhookLimits limits;

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    @SecurityRequirements
    @Extension(name = "x-public", value = "true", parseValue = true)
    @Operation(operationId = "receivePurpleWebhook", summary = "Receive a Purple WiFi login",
            description = "Public: authenticated by the source key in the URL (register a source to get one). The body is "
                    + "stored exactly as sent and committed before the 200 is returned; unknown fields and cosmetic oddities "
                    + "are accepted. An empty body or {} is a URL check and stores nothing. gzip bodies are accepted.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT),
            examples = @ExampleObject(name = "as documented by Purple", value = FIXTURE)))
    @APIResponse(responseCode = "200", description = "Committed to the inbox (or a URL check)",
            headers = @Header(name = LISTENER_HEADER, description = "Always 1: tells Purple this is a real listener",
                    schema = @Schema(type = SchemaType.INTEGER)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "PurpleAck"),
                    examples = @ExampleObject(name = "stored", value = "{\"status\":\"stored\",\"id\":1042}")))
    @APIResponse(responseCode = "404", ref = "#/components/responses/not-found")
    @APIResponse(responseCode = "429", ref = "#/components/responses/rate-limited")
    @APIResponse(responseCode = "503", ref = "#/components/responses/unavailable")
    public Response receive(@Parameter(description = "The source's secret key", required = true) @PathParam("sourceKey") String sourceKey,
                        InputStream body, @Context HttpHeaders headers, @Context HttpServletRequest request) {
        Sources.ActiveSource source = knownSource(sourceKey, request);
        WebhookBody event = WebhookBody.read(body, headers.getHeaderString(HttpHeaders.CONTENT_TYPE),
                headers.getHeaderString("Content-Encoding"), headers.getLength(), limits.maxBodyBytes(), limits.maxJsonDepth());
        if (event.isPing()) {
            return listening("{\"status\":\"listening\"}");
        }
        long id = inbox.store(new Inbox.RawEvent(source.id(), headers.getHeaderString(HttpHeaders.CONTENT_TYPE), event.bytes(), event.sha256(), null));
        return listening("{\"status\":\"stored\",\"id\":" + id + "}");
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @SecurityRequirements
    @Extension(name = "x-public", value = "true", parseValue = true)
    @Operation(operationId = "checkPurpleWebhook", summary = "URL check for Purple's webhook validation",
            description = "Public. Answers 200 with wifiWebhookListener: 1 for a registered source's key; stores nothing.")
    @APIResponse(responseCode = "200", description = "This is a live listener for that source",
            headers = @Header(name = LISTENER_HEADER, schema = @Schema(type = SchemaType.INTEGER)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "PurpleAck"),
                    examples = @ExampleObject(name = "listening", value = "{\"status\":\"listening\"}")))
    @APIResponse(responseCode = "404", ref = "#/components/responses/not-found")
    @APIResponse(responseCode = "429", ref = "#/components/responses/rate-limited")
    public Response check(@Parameter(description = "The source's secret key", required = true) @PathParam("sourceKey") String sourceKey,
                          @Context HttpServletRequest request) {
        knownSource(sourceKey, request);
        return listening("{\"status\":\"listening\"}");
    }

    @HEAD
    @SecurityRequirements
    @Extension(name = "x-public", value = "true", parseValue = true)
    @Operation(operationId = "probePurpleWebhook", summary = "URL check without a body", description = "Public. As GET, without a body.")
    @APIResponse(responseCode = "200", description = "This is a live listener for that source",
            headers = @Header(name = LISTENER_HEADER, schema = @Schema(type = SchemaType.INTEGER)))
    @APIResponse(responseCode = "404", ref = "#/components/responses/not-found")
    @APIResponse(responseCode = "429", ref = "#/components/responses/rate-limited")
    public Response probe(@Parameter(description = "The source's secret key", required = true) @PathParam("sourceKey") String sourceKey,
                          @Context HttpServletRequest request) {
        knownSource(sourceKey, request);
        return Response.ok().header(LISTENER_HEADER, "1").build();
    }

    private Sources.ActiveSource knownSource(String key, HttpServletRequest request) {
        return sources.admit(key, Source.Kind.PURPLE, ClientAddress.of(request), () -> ProblemException.notFound(
                "No active Purple source has this key. Register the source (POST /api/v1/sources) "
                        + "and use the webhook URL it returns; a revoked source's URL stays closed."));
    }

    private static Response listening(String json) {
        return Response.ok(json, MediaType.APPLICATION_JSON).header(LISTENER_HEADER, "1").build();
    }
}
