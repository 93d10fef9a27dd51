package io.guestbridge.onboarding.internal;

import io.guestbridge.audit.api.Actor;
import io.guestbridge.identity.api.Venues;
import io.guestbridge.onboarding.api.CredentialKind;
import io.guestbridge.platform.api.Params;
import io.guestbridge.platform.api.ProblemException;
import io.guestbridge.platform.api.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
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
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Staff actions on the guests' WiFi credentials: a venue's list (never a passphrase), ending one at once, and a new
 * passphrase delivered again (a guest who shared theirs, or lost the mail). Each action is audited with the person
 * who took it.
 */
@Path("onboarding/credentials")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.OPERATOR)
@Tag(name = "WiFi onboarding: credentials", description = "Staff see a venue's WiFi credentials (never their passphrases), revoke one or issue it again with a new passphrase.")
public class CredentialResource {

    private static final String CREDENTIAL = "{\"id\":\"3f1e2d4c-5b6a-4978-8a9b-0c1d2e3f4a5b\",\"guest\":\"0190c8a4-7f1e-7b3a-9c1d-3e5f7a9b1c2d\","
            + "\"venueId\":\"5b0c2f7e-1d0a-4c5e-9a51-0e6f3f1a2b3c\",\"kind\":\"RADIUS\",\"username\":\"wifi-k7mxq2rtva\",\"validFrom\":"
            + "\"2026-12-01T00:00:00Z\",\"validUntil\":\"2026-12-04T12:00:00Z\",\"state\":\"ACTIVE\",\"deliveredAt\":\"2026-11-30T00:01:00Z\"}";

    @Inject
    Credentials credentials;

    @Inject
    Venues venues;

    @Context
    SecurityContext security;

    /** A credential as staff see it: whose, where, when; never the passphrase. */
    @Schema(name = "WifiCredential", requiredProperties = {"id", "guest", "venueId", "kind", "username", "validFrom", "validUntil", "state"})
    public record CredentialView(String id, String guest, String venueId, CredentialKind kind, String username, Instant validFrom, Instant validUntil,
                                 @Schema(description = "ACTIVE or REVOKED") String state,
                                 @Schema(description = "Why it ended: CANCELLED, CHECKED_OUT, NO_STAY, OPERATOR; absent while active") String revokedReason,
                                 @Schema(description = "When the mail carrying it went out; absent until then (again after a move or a reissue)")
                                 Instant deliveredAt) {

        static CredentialView of(StoredCredential c) {
            return new CredentialView(c.id(), c.guest().value(), c.venueId(), c.kind(), c.username(), c.window().from(), c.window().until(),
                    c.state().name(), c.revokedReason(), c.deliveredAt());
        }
    }

    @GET
    @SecurityRequirement(name = "jwt", scopes = Roles.OPERATOR)
    @Operation(operationId = "listWifiCredentials", summary = "A venue's guest credentials, newest first, without passphrases")
    @APIResponse(responseCode = "200", description = "The credentials", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = CredentialView[].class), examples = @ExampleObject(name = "credentials", value = "[" + CREDENTIAL + "]")))
    @APIResponse(responseCode = "400", ref = "#/components/responses/validation")
    @APIResponse(responseCode = "404", ref = "#/components/responses/not-found")
    public List<CredentialView> list(@Parameter(description = "Venue id", required = true) @QueryParam("venue") String venueId,
                                     @Parameter(description = "ACTIVE or REVOKED; all when absent") @QueryParam("state") String state,
                                     @Parameter(description = "At most this many (1–500, default 100)") @QueryParam("limit") String limit) {
        if (venueId == null || venueId.isBlank()) {
            throw ProblemException.invalid("Name the venue: ?venue=<venue id> (GET /api/v1/venues lists them).");
        }
        if (venues.find(venueId).isEmpty()) {
            throw ProblemException.notFound("There is no venue " + venueId + " (GET /api/v1/venues lists them).");
        }
        StoredCredential.State wanted = null;
        if (state != null && !state.isBlank()) {
            try {
                wanted = StoredCredential.State.valueOf(state.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ProblemException.invalid("state must be ACTIVE or REVOKED");
            }
        }
        return credentials.ofVenue(venueId, wanted, Params.intInRange("limit", limit, 100, 1, 500)).stream().map(CredentialView::of).toList();
    }

    @POST
    @Path("{id}/revocation")
    @SecurityRequirement(name = "jwt", scopes = Roles.OPERATOR)
    @Operation(operationId = "revokeWifiCredential", summary = "End a guest's credential at once",
            description = "RADIUS refuses it from now on; the guest's later booking events for the same stay do not bring it back. "
                    + "Audited (WIFI_CREDENTIAL_REVOKED, reason OPERATOR) with the person as actor.")
    @APIResponse(responseCode = "200", description = "Revoked", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "revoked", value = "{\"id\":\"3f1e2d4c-5b6a-4978-8a9b-0c1d2e3f4a5b\",\"state\":\"REVOKED\"}")))
    @APIResponse(responseCode = "404", ref = "#/components/responses/not-found")
    @APIResponse(responseCode = "409", ref = "#/components/responses/conflict")
    public String revoke(@Parameter(description = "Credential id", required = true) @PathParam("id") String id) {
        answer(credentials.revokeByStaff(id, Actor.of(security.getUserPrincipal())), id);
        return "{\"id\":\"" + id + "\",\"state\":\"REVOKED\"}";
    }

    @POST
    @Path("{id}/reissue")
    @SecurityRequirement(name = "jwt", scopes = Roles.OPERATOR)
    @Operation(operationId = "reissueWifiCredential", summary = "Give a guest's credential a new passphrase and deliver it again",
            description = "The old passphrase stops working at once; the user name and the window stay. The guest gets the new one by mail "
                    + "(and SMS) within a delivery run. Audited (WIFI_CREDENTIAL_REISSUED) with the person as actor, never the passphrase.")
    @APIResponse(responseCode = "200", description = "Reissued", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "reissued", value = "{\"id\":\"3f1e2d4c-5b6a-4978-8a9b-0c1d2e3f4a5b\",\"state\":\"ACTIVE\"}")))
    @APIResponse(responseCode = "404", ref = "#/components/responses/not-found")
    @APIResponse(responseCode = "409", ref = "#/components/responses/conflict")
    public String reissue(@Parameter(description = "Credential id", required = true) @PathParam("id") String id) {
        answer(credentials.reissue(id, Actor.of(security.getUserPrincipal())), id);
        return "{\"id\":\"" + id + "\",\"state\":\"ACTIVE\"}";
    }

    /** A device to bind: its MAC, sent in the body so that it stays out of URLs and access logs. */
    @Schema(name = "WifiDevice", requiredProperties = "mac")
    public record DeviceBody(@Schema(description = "The device's WiFi MAC address (aa:bb:cc:dd:ee:ff, AA-BB-…, aabb.ccdd.eeff or 12 hex "
            + "digits); the one the device uses on this network (phones use a private address per network)", example = "3c:22:fb:12:34:56") String mac) {
        @Override
        public String toString() {
            return "DeviceBody[mac hidden]";
        }
    }

    @POST
    @Path("{id}/devices")
    @Consumes(MediaType.APPLICATION_JSON)
    @SecurityRequirement(name = "jwt", scopes = Roles.OPERATOR)
    @Operation(operationId = "bindWifiDevice", summary = "Let a device join a guest's PPSK network with the guest's passphrase",
            description = "For a PPSK network whose access points ask over RADIUS (the network's radiusVendor): the controller's MAC "
                    + "authentication of this device is answered with the credential's passphrase while the credential is active and "
                    + "inside its window. At most 8 devices per credential; a device holds one active credential per venue. Only the "
                    + "deployment's keyed hash of the MAC is kept. Audited (WIFI_CREDENTIAL_DEVICE_BOUND) by ids, never the MAC.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DeviceBody.class),
            examples = @ExampleObject(name = "device", value = "{\"mac\":\"3c:22:fb:12:34:56\"}")))
    @APIResponse(responseCode = "200", description = "Bound (or bound already)", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "bound", value = "{\"id\":\"3f1e2d4c-5b6a-4978-8a9b-0c1d2e3f4a5b\",\"device\":\"BOUND\"}")))
    @APIResponse(responseCode = "400", ref = "#/components/responses/validation")
    @APIResponse(responseCode = "404", ref = "#/components/responses/not-found")
    @APIResponse(responseCode = "409", ref = "#/components/responses/conflict")
    public String bindDevice(@Parameter(description = "Credential id", required = true) @PathParam("id") String id, DeviceBody body) {
        if (body == null || body.mac() == null || body.mac().isBlank()) {
            throw ProblemException.invalid("Send the device's MAC address: {\"mac\":\"3c:22:fb:12:34:56\"}");
        }
        Credentials.DeviceOutcome outcome = credentials.bindDevice(id, body.mac(), Actor.of(security.getUserPrincipal()));
        switch (outcome) {
            case BOUND, ALREADY_BOUND -> {
                return "{\"id\":\"" + id + "\",\"device\":\"" + outcome.name() + "\"}";
            }
            case NOT_A_MAC -> throw ProblemException.invalid("mac is not a MAC address: send 6 bytes in hex, e.g. 3c:22:fb:12:34:56 or 3C-22-FB-12-34-56");
            case NOT_FOUND -> throw ProblemException.notFound("There is no WiFi credential " + id
                    + " (GET /api/v1/onboarding/credentials?venue=… lists a venue's).");
            case NOT_ACTIVE -> throw ProblemException.conflict("The WiFi credential " + id + " is revoked; a device can be bound to an active one only.");
            case NOT_PPSK -> throw ProblemException.conflict("The WiFi credential " + id + " is a RADIUS account: its guest signs in with the user "
                    + "name and password on any device. Devices are bound to PPSK credentials only.");
            case HELD_BY_ANOTHER -> throw ProblemException.conflict("This device is bound to another active credential at the venue already; "
                    + "a device joins with one passphrase (revoke that credential first).");
            case TOO_MANY -> throw ProblemException.conflict("The WiFi credential " + id + " has " + Credentials.DEVICES_PER_CREDENTIAL
                    + " devices bound already, the most one credential takes.");
            default -> throw new IllegalStateException(outcome.name());
        }
    }

    @POST
    @Path("{id}/devices/removal")
    @Consumes(MediaType.APPLICATION_JSON)
    @SecurityRequirement(name = "jwt", scopes = Roles.OPERATOR)
    @Operation(operationId = "unbindWifiDevice", summary = "Stop a device joining with a guest's passphrase",
            description = "Unbinds a device bound to the credential (bound by mistake, or no longer the guest's): the controller's next MAC "
                    + "authentication of it is rejected. The MAC travels in the body, never in the URL. Audited "
                    + "(WIFI_CREDENTIAL_DEVICE_UNBOUND) by ids, never the MAC.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DeviceBody.class),
            examples = @ExampleObject(name = "device", value = "{\"mac\":\"3c:22:fb:12:34:56\"}")))
    @APIResponse(responseCode = "200", description = "Unbound", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "unbound", value = "{\"id\":\"3f1e2d4c-5b6a-4978-8a9b-0c1d2e3f4a5b\",\"device\":\"UNBOUND\"}")))
    @APIResponse(responseCode = "400", ref = "#/components/responses/validation")
    @APIResponse(responseCode = "404", ref = "#/components/responses/not-found")
    public String unbindDevice(@Parameter(description = "Credential id", required = true) @PathParam("id") String id, DeviceBody body) {
        if (body == null || body.mac() == null || body.mac().isBlank()) {
            throw ProblemException.invalid("Send the device's MAC address: {\"mac\":\"3c:22:fb:12:34:56\"}");
        }
        Credentials.DeviceOutcome outcome = credentials.unbindDevice(id, body.mac(), Actor.of(security.getUserPrincipal()));
        switch (outcome) {
            case UNBOUND -> {
                return "{\"id\":\"" + id + "\",\"device\":\"UNBOUND\"}";
            }
            case NOT_A_MAC -> throw ProblemException.invalid("mac is not a MAC address: send 6 bytes in hex, e.g. 3c:22:fb:12:34:56 or 3C-22-FB-12-34-56");
            case NOT_FOUND -> throw ProblemException.notFound("There is no WiFi credential " + id
                    + " (GET /api/v1/onboarding/credentials?venue=… lists a venue's).");
            case NOT_BOUND -> throw ProblemException.notFound("This device is not bound to the WiFi credential " + id + ".");
            default -> throw new IllegalStateException(outcome.name());
        }
    }

    private static void answer(Credentials.StaffOutcome outcome, String id) {
        switch (outcome) {
            case DONE -> {
            }
            case NOT_FOUND -> throw ProblemException.notFound("There is no WiFi credential " + id
                    + " (GET /api/v1/onboarding/credentials?venue=… lists a venue's).");
            case NOT_ACTIVE -> throw ProblemException.conflict("The WiFi credential " + id + " is revoked already; a new booking of the guest "
                    + "issues a new one.");
            case GUEST_ERASED -> throw ProblemException.conflict("The guest of WiFi credential " + id + " was erased; nothing can be issued to them.");
        }
    }
}
