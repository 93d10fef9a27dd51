package io.guestbridge.onboarding.internal;

import io.guestbridge.audit.api.Actor;
import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditTrail;
import io.guestbridge.platform.api.MessageCodec;
import io.guestbridge.platform.api.Params;
import io.guestbridge.platform.api.ProblemException;
import io.guestbridge.platform.api.Roles;
import io.guestbridge.platform.api.WorkItem;
import io.guestbridge.platform.api.WorkQueue;
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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.List;

/**
 * Credential deliveries for operators: the backlog per channel with its expected drain time, and deliveries that failed
 * for good (a mail relay that kept refusing), to send again once it is fixed.
 */
@Path("onboarding/deliveries")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.OPERATOR)
@Tag(name = "WiFi onboarding: deliveries", description = "Credentials mailed and texted to guests ahead of arrival: the text backlog and the deliveries that failed.")
public class DeliveryResource {

    @Inject
    WorkQueue queue;

    @Inject
    CredentialMailing mailing;

    @Inject
    CredentialTexting texting;

    @Inject
    IdentityPskPush merakiPush;

    @Inject
    AuditTrail trail;

    @Inject
    DeliveryBacklog backlog;

    @Context
    SecurityContext security;

    /** A delivery that died after its last attempt. */
    @Schema(name = "WifiDeliveryDeadLetter", requiredProperties = {"id", "credential", "attempts", "queuedAt"})
    public record DeadDelivery(long id, String credential, int attempts, Instant queuedAt, String reason) {
    }

    @GET
    @Path("backlog")
    @SecurityRequirement(name = "jwt", scopes = Roles.OPERATOR)
    @Operation(operationId = "getWifiDeliveryBacklog", summary = "Credential deliveries waiting per channel, and how long they take to drain",
            description = "The SMS channel drains at its rate (onboarding.sms.messages-per-minute), shared by every instance; the same figures are "
                    + "in /metrics (guestbridge_queue_depth, guestbridge_wifi_delivery_drain_seconds).")
    @APIResponse(responseCode = "200", description = "One entry per channel", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = DeliveryBacklog.Channel[].class), examples = @ExampleObject(name = "backlog", value = "[{\"channel\":"
            + "\"email\",\"queue\":\"wifi-delivery-mail\",\"pending\":0,\"dead\":0},{\"channel\":\"sms\",\"queue\":\"wifi-delivery-sms\","
            + "\"pending\":400,\"dead\":0,\"messagesPerMinute\":100,\"expectedDrainSeconds\":240}]")))
    public List<DeliveryBacklog.Channel> backlog() {
        return backlog.channels();
    }

    @GET
    @Path("dead-letters")
    @SecurityRequirement(name = "jwt", scopes = Roles.OPERATOR)
    @Operation(operationId = "listWifiDeliveryDeadLetters", summary = "Credential deliveries (mail or SMS) that failed after their last attempt, oldest first")
    @APIResponse(responseCode = "200", description = "Dead deliveries", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = DeadDelivery[].class), examples = @ExampleObject(name = "dead", value = "[{\"id\":7001,"
            + "\"credential\":\"3f1e2d4c-5b6a-4978-8a9b-0c1d2e3f4a5b\",\"attempts\":8,\"queuedAt\":\"2026-11-25T08:00:00Z\",\"reason\":"
            + "\"SMTP: the relay is unreachable\"}]")))
    public List<DeadDelivery> deadLetters(@Parameter(description = "email (default), sms or meraki") @QueryParam("channel") String channel,
                                          @Parameter(description = "Only after this id (paging)") @QueryParam("after") String after,
                                          @Parameter(description = "Page size (1–500, default 100)") @QueryParam("limit") String limit) {
        return queue.dead(queueOf(channel), Params.intInRange("after", after, 0, 0, Integer.MAX_VALUE), Params.intInRange("limit", limit, 100, 1, 500))
                .stream().map(DeliveryResource::view).toList();
    }

    @POST
    @Path("dead-letters/{id}/replay")
    @SecurityRequirement(name = "jwt", scopes = Roles.OPERATOR)
    @Transactional
    @Operation(operationId = "replayWifiDeliveryDeadLetter", summary = "Try a failed credential delivery again (after fixing the mail relay or the SMS gateway)",
            description = "The mail is written from the credential as it is then; a credential revoked meanwhile is not sent. "
                    + "Audited (WIFI_DELIVERY_DEAD_LETTER_REPLAYED).")
    @APIResponse(responseCode = "200", description = "Queued again", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "queued", value = "{\"id\":7001,\"state\":\"PENDING\"}")))
    @APIResponse(responseCode = "404", ref = "#/components/responses/not-found")
    public String replay(@Parameter(description = "Dead letter id", required = true) @PathParam("id") String id,
                         @Parameter(description = "email (default), sms or meraki") @QueryParam("channel") String channel) {
        String deadQueue = queueOf(channel);
        long itemId;
        try {
            itemId = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw ProblemException.notFound("There is no failed delivery " + id + " (GET /api/v1/onboarding/deliveries/dead-letters lists them).");
        }
        if (!queue.replay(deadQueue, itemId)) {
            throw ProblemException.notFound("There is no failed delivery " + itemId + " (GET /api/v1/onboarding/deliveries/dead-letters lists them).");
        }
        trail.record(AuditEvent.of("onboarding", "WIFI_DELIVERY_DEAD_LETTER_REPLAYED").by(Actor.of(security.getUserPrincipal()))
                .about("work-item:" + itemId).with("queue", deadQueue).build());
        return "{\"id\":" + itemId + ",\"state\":\"PENDING\"}";
    }

    private String queueOf(String channel) {
        if (channel == null || channel.isBlank() || channel.strip().equalsIgnoreCase("email")) {
            return mailing.queue();
        }
        if (channel.strip().equalsIgnoreCase(SmsGateway.CHANNEL)) {
            return texting.queue();
        }
        if (channel.strip().equalsIgnoreCase(IdentityPskPush.CHANNEL)) {
            return merakiPush.queue();
        }
        throw ProblemException.invalid("channel must be email, sms or meraki (identity PSKs pushed to a Meraki dashboard)");
    }

    private static DeadDelivery view(WorkItem item) {
        String credential;
        try {
            credential = item.queue().equals("wifi-meraki") ? MessageCodec.decode(item, IdentityPskDue.class).credential()
                    : MessageCodec.decode(item, CredentialDue.class).credential();
        } catch (MessageCodec.MalformedMessageException e) {
            credential = null;
        }
        return new DeadDelivery(item.id(), credential, item.attempts(), item.createdAt(), item.lastError());
    }
}
