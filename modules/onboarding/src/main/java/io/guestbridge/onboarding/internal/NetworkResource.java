package io.guestbridge.onboarding.internal;

import io.guestbridge.audit.api.Actor;
import io.guestbridge.identity.api.Venues;
import io.guestbridge.onboarding.api.CredentialKind;
import io.guestbridge.platform.api.ProblemException;
import io.guestbridge.platform.api.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
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

import java.time.Duration;
import java.util.List;

/**
 * The venues' guest networks for operators: which booking system feeds a venue, which kind of credential its
 * network takes, and the grace around each stay.
 */
@Path("onboarding/networks")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "WiFi onboarding", description = "A WiFi credential per booked guest, valid for the stay in the venue's time zone.")
public class NetworkResource {

    private static final String NETWORK = "{\"venueId\":\"5b0c2f7e-1d0a-4c5e-9a51-0e6f3f1a2b3c\",\"bookingSourceId\":"
            + "\"8f14e45f-ceea-4e7a-9b2f-1c2d3e4f5a6b\",\"kind\":\"RADIUS\",\"ssid\":\"Grand Hotel Guests\",\"fromStartOfArrivalDay\":true,"
            + "\"graceBeforeMinutes\":0,\"graceAfterMinutes\":60}";

    @Inject
    Networks networks;

    @Inject
    Venues venues;

    @Context
    SecurityContext security;

    /** A venue's guest network as the API shows and takes it. */
    @Schema(name = "WifiNetwork", requiredProperties = {"bookingSourceId", "kind", "ssid"})
    public record NetworkView(@Schema(description = "The venue (read only; the path names it)", readOnly = true) String venueId,
                              @Schema(description = "The booking source (PMS) that takes the venue's reservations") String bookingSourceId,
                              CredentialKind kind,
                              @Schema(description = "The network name guests join (1–32 bytes)", example = "Grand Hotel Guests") String ssid,
                              @Schema(description = "Access starts at 00:00 of the arrival day in the venue's time zone (default true); "
                                      + "false: at the arrival time") Boolean fromStartOfArrivalDay,
                              @Schema(description = "Minutes of access before that start (default 0, at most 10080)") Integer graceBeforeMinutes,
                              @Schema(description = "Minutes of access after the departure time (default 60, at most 10080)") Integer graceAfterMinutes,
                              @Schema(description = "PPSK only: the Meraki dashboard network whose SSID gets an identity PSK per credential "
                                      + "(created, updated with the window, deleted when revoked or erased)", example = "N_24329156") String merakiNetworkId,
                              @Schema(description = "The Meraki SSID's number, 0 to 14 (required with merakiNetworkId)") Integer merakiSsidNumber,
                              @Schema(description = "The group policy each identity PSK gets (required with merakiNetworkId: Meraki creates "
                                      + "none without)", example = "101") String merakiGroupPolicyId,
                              @Schema(description = "Which configured API key to use: onboarding.meraki.api-key.<name>; absent: "
                                      + "onboarding.meraki.api-key. The key itself is never sent here") String merakiApiKey,
                              @Schema(description = "PPSK only: whose access points ask guestbridge (through FreeRADIUS) about a device, so what "
                                      + "the answer carries: CISCO_MERAKI (by MAC authentication; Cisco-AVPair psk-mode=ascii, psk=…), ARUBA (by MAC "
                                      + "authentication; Aruba-MPSK-Passphrase) or RUCKUS (external DPSK: the device's handshake is checked against "
                                      + "the guests' passphrases; Ruckus-Dpsk with the pairwise master key); absent: no RADIUS answers for this network",
                                      enumeration = {"CISCO_MERAKI", "ARUBA", "RUCKUS"}, example = "CISCO_MERAKI") String radiusVendor) {

        static NetworkView of(Network n) {
            MerakiTarget m = n.meraki();
            return new NetworkView(n.venueId(), n.bookingSourceId(), n.kind(), n.ssid(), n.policy().fromStartOfArrivalDay(),
                    (int) n.policy().before().toMinutes(), (int) n.policy().after().toMinutes(), m == null ? null : m.networkId(),
                    m == null ? null : m.ssidNumber(), m == null ? null : m.groupPolicyId(), m == null ? null : m.apiKeyName(),
                    n.radiusVendor() == null ? null : n.radiusVendor().name());
        }
    }

    @GET
    @RolesAllowed(Roles.OPERATOR)
    @SecurityRequirement(name = "jwt", scopes = Roles.OPERATOR)
    @Operation(operationId = "listWifiNetworks", summary = "The venues whose guest network gives booked guests a credential each")
    @APIResponse(responseCode = "200", description = "The networks",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = NetworkView[].class),
                    examples = @ExampleObject(name = "networks", value = "[" + NETWORK + "]")))
    public List<NetworkView> list() {
        return networks.all().stream().map(NetworkView::of).toList();
    }

    @PUT
    @Path("{venueId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @SecurityRequirement(name = "jwt", scopes = Roles.OPERATOR)
    @Transactional
    @Operation(operationId = "configureWifiNetwork", summary = "Give a venue's booked guests a WiFi credential each",
            description = "A confirmed stay at the venue gets a credential of the network's kind, valid from 00:00 of the arrival day "
                    + "(venue's time zone) to an hour after departure unless the grace says otherwise. Saving the network also follows "
                    + "again, through the queue, every guest booked from its booking source whose stay ended 7 days ago or later: bookings "
                    + "that arrived before the network get their credentials, and issued ones take the new grace. Audited "
                    + "(WIFI_NETWORK_CONFIGURED, with the number of guests followed).")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = NetworkView.class),
            examples = @ExampleObject(name = "RADIUS accounts", value = "{\"bookingSourceId\":\"8f14e45f-ceea-4e7a-9b2f-1c2d3e4f5a6b\","
                    + "\"kind\":\"RADIUS\",\"ssid\":\"Grand Hotel Guests\"}")))
    @APIResponse(responseCode = "200", description = "The venue's network as stored",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = NetworkView.class),
                    examples = @ExampleObject(name = "network", value = NETWORK)))
    public NetworkView configure(@Parameter(description = "Venue id", required = true) @PathParam("venueId") String venueId, NetworkView body) {
        if (body == null) {
            throw ProblemException.invalid("Send the network, e.g. {\"bookingSourceId\":\"…\",\"kind\":\"RADIUS\",\"ssid\":\"Guests\"}.");
        }
        if (venues.find(venueId).isEmpty()) {
            throw ProblemException.notFound("There is no venue " + venueId + " (GET /api/v1/venues lists them).");
        }
        if (body.bookingSourceId() == null || !body.bookingSourceId().matches("[0-9a-fA-F-]{36}")) {
            throw ProblemException.invalid("bookingSourceId must be the id of the booking source (GET /api/v1/sources), a UUID");
        }
        if (body.kind() == null) {
            throw ProblemException.invalid("kind must be PPSK (a personal pre-shared key) or RADIUS (a user name and password)");
        }
        int before = body.graceBeforeMinutes() == null ? 0 : body.graceBeforeMinutes();
        int after = body.graceAfterMinutes() == null ? 60 : body.graceAfterMinutes();
        MerakiTarget meraki = null;
        if (body.merakiNetworkId() != null || body.merakiSsidNumber() != null || body.merakiGroupPolicyId() != null || body.merakiApiKey() != null) {
            if (body.kind() != CredentialKind.PPSK) {
                throw ProblemException.invalid("A Meraki dashboard takes identity PSKs: merakiNetworkId and the rest apply to a PPSK network only");
            }
            if (body.merakiSsidNumber() == null) {
                throw ProblemException.invalid("merakiSsidNumber must be the SSID's number, 0 to 14");
            }
            try {
                meraki = new MerakiTarget(body.merakiNetworkId(), body.merakiSsidNumber(), body.merakiGroupPolicyId(), body.merakiApiKey());
            } catch (IllegalArgumentException e) {
                throw ProblemException.invalid(e.getMessage());
            }
        }
        RadiusVendor radiusVendor = null;
        if (body.radiusVendor() != null) {
            if (body.kind() != CredentialKind.PPSK) {
                throw ProblemException.invalid("radiusVendor says which attributes carry a PPSK device's passphrase over RADIUS: it applies "
                        + "to a PPSK network only (a RADIUS network's guests sign in with their user name and password)");
            }
            radiusVendor = RadiusVendor.parse(body.radiusVendor()).orElseThrow(() -> ProblemException.invalid("radiusVendor must be "
                    + "CISCO_MERAKI (Meraki or Cisco access points: Cisco-AVPair psk=), ARUBA (Aruba-MPSK-Passphrase) or RUCKUS (external "
                    + "DPSK: the handshake checked here, the pairwise master key in Ruckus-Dpsk)"));
        }
        Network network;
        try {
            network = new Network(venueId, body.bookingSourceId().toLowerCase(java.util.Locale.ROOT), body.kind(), body.ssid(),
                    new ValidityPolicy(body.fromStartOfArrivalDay() == null || body.fromStartOfArrivalDay(),
                            Duration.ofMinutes(before), Duration.ofMinutes(after)), meraki, radiusVendor);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("ssid must be 1–32 bytes; graceBeforeMinutes and graceAfterMinutes between 0 and 10080");
        }
        if (networks.all().stream().anyMatch(n -> n.bookingSourceId().equals(network.bookingSourceId()) && !n.venueId().equals(venueId))) {
            throw ProblemException.conflict("The booking source " + network.bookingSourceId() + " already feeds another venue's network; "
                    + "a booking source takes the reservations of one venue.");
        }
        return NetworkView.of(networks.configure(network, Actor.of(security.getUserPrincipal())));
    }
}
