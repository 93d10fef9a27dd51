package io.guestbridge.onboarding.internal;

import io.guestbridge.platform.api.Jsonp;
import io.guestbridge.platform.api.ProblemException;
import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Where FreeRADIUS asks whether a guest's RADIUS account may connect now (its rlm_rest module, in the
 * authorize section, posting the Access-Request's attributes as JSON; deploy/freeradius holds the configuration).
 * FreeRADIUS sends the shared secret {@code onboarding.radius.secret} in the header {@value #SECRET_HEADER} (not HTTP
 * Basic: in its authenticate section rlm_rest fills that with the guest's own user name and password); it runs next to guestbridge and
 * calls it over loopback or a private network. The answer is what rlm_rest understands: 200 with
 * {@code control:Auth-Type = Accept} and the reply attributes (Session-Timeout: the seconds left in the credential's
 * window) accepts; 401 rejects. Passwords are compared with the guest's sealed passphrase and never logged.
 * A controller's MAC authentication of a PPSK device (no guestbridge user name, the device's MAC as User-Name and
 * Calling-Station-Id) is accepted for a device staff bound to an active PPSK credential inside its window, with the
 * passphrase in the network's RADIUS vendor's attributes; the access point then checks the device's handshake with it.
 * A Ruckus access point with external DPSK sends the device's handshake instead (Ruckus-DPSK-Params): the guest whose
 * passphrase made it is found here, and the accept carries that passphrase's pairwise master key in Ruckus-Dpsk.
 */
@Path("onboarding/radius/authenticate")
@ApplicationScoped // one instance: FreeRADIUS asks for every device that associates, and a request-scoped one cost a bean and its injection each time
@PermitAll
@Tag(name = "WiFi onboarding: RADIUS", description = "What FreeRADIUS asks when a guest connects with the account of their stay.")
public class RadiusResource {

    static final String SECRET_HEADER = "X-Guestbridge-Radius-Secret";

    private static final Logger LOG = Logger.getLogger(RadiusResource.class.getName());

    @Inject
    Credentials credentials;

    @Inject
    @ConfigProperty(name = "onboarding.radius.secret")
    Optional<String> secret;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @SecurityRequirements
    @Extension(name = "x-public", value = "true", parseValue = true)
    @Operation(operationId = "authenticateRadiusAccount", summary = "FreeRADIUS asks whether a guest's RADIUS account may connect now",
            description = "Public, for FreeRADIUS's rlm_rest (authorize section, body 'json', the shared secret onboarding.radius.secret "
                    + "in the header X-Guestbridge-Radius-Secret). A guest's RADIUS account (User-Name wifi-…, User-Password), or a controller's MAC "
                    + "authentication of a PPSK device (the MAC as User-Name / Calling-Station-Id; Called-Station-Id \"<AP MAC>:<SSID>\" "
                    + "chooses the network): 200 with reply attributes accepts, a PPSK with its passphrase in the network's vendor attributes "
                    + "(CISCO_MERAKI: Cisco-AVPair psk-mode=ascii and psk=…; ARUBA: Aruba-MPSK-Passphrase). A Ruckus access point's external "
                    + "DPSK request (Ruckus-DPSK-Anonce and Ruckus-DPSK-EAPOL-Key-Frame, Ruckus-BSSID, the device's MAC in Calling-Station-Id) "
                    + "is accepted when the handshake was made with the passphrase of a PPSK credential valid now on the RUCKUS network of "
                    + "that SSID, with the pairwise master key in Ruckus-Dpsk; an unbound device is then bound to that credential. "
                    + "401 rejects (unknown user or "
                    + "device, wrong password, outside the credential's window, revoked, erased); 404 without the right shared secret.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT),
            examples = {@ExampleObject(name = "rlm_rest", value = "{\"User-Name\":{\"type\":\"string\",\"value\":[\"wifi-k7mxq2rtva\"]},"
                    + "\"User-Password\":{\"type\":\"string\",\"value\":[\"…\"]}}"),
                    @ExampleObject(name = "ruckus-dpsk", value = "{\"User-Name\":{\"type\":\"string\",\"value\":[\"8ab3a0ebd5e5\"]},"
                            + "\"Calling-Station-Id\":{\"type\":\"string\",\"value\":[\"8A-B3-A0-EB-D5-E5\"]},"
                            + "\"Called-Station-Id\":{\"type\":\"string\",\"value\":[\"34-EF-B6-AF-48-9E:Grand Hotel Guests\"]},"
                            + "\"Ruckus-BSSID\":{\"type\":\"octets\",\"value\":[\"0x34efb6af489e\"]},"
                            + "\"Ruckus-DPSK-Cipher\":{\"type\":\"byte\",\"value\":[4]},"
                            + "\"Ruckus-DPSK-Anonce\":{\"type\":\"octets\",\"value\":[\"0x4df70a42…\"]},"
                            + "\"Ruckus-DPSK-EAPOL-Key-Frame\":{\"type\":\"octets\",\"value\":[\"0x0203007502010a…\"]}}")}))
    @APIResponse(responseCode = "200", description = "Accept, with the reply attributes",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RadiusReply.class),
                    examples = {@ExampleObject(name = "accept", value = "{\"control:Auth-Type\":\"Accept\",\"reply:Session-Timeout\":\"43200\"}"),
                            @ExampleObject(name = "ruckus-dpsk-accept", value = "{\"control:Auth-Type\":\"Accept\",\"reply:Session-Timeout\":\"43200\","
                                    + "\"reply:Ruckus-Dpsk\":{\"do_xlat\":false,\"value\":[\"0x44a4f34b…\"]}}")}))
    @APIResponse(responseCode = "401", description = "Reject",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RadiusReply.class),
                    examples = @ExampleObject(name = "reject", value = "{\"reply:Reply-Message\":\"no valid WiFi credential\"}")))
    @APIResponse(responseCode = "404", ref = "#/components/responses/not-found")
    public Response authenticate(@jakarta.ws.rs.core.Context HttpHeaders headers, String body) {
        if (!sharedSecretMatches(headers.getHeaderString(SECRET_HEADER))) {
            // not the guest's failure but the caller's: like an unknown webhook key, nothing answers here for it
            // (FreeRADIUS reads 404 as notfound, which its configuration turns into a reject)
            LOG.warning("onboarding: a RADIUS authentication came without the shared secret (onboarding.radius.secret); refused");
            throw ProblemException.notFound("No RADIUS authorizer answers without the shared secret onboarding.radius.secret in the header "
                    + SECRET_HEADER + ".");
        }
        JsonObject attributes;
        try {
            attributes = Jsonp.JSON.createReader(new StringReader(body == null ? "" : body)).readObject();
        } catch (RuntimeException e) {
            return reject();
        }
        String username = first(attributes, "User-Name");
        if (username != null && username.startsWith(Passphrases.USERNAME_PREFIX)) {
            Optional<Duration> left = credentials.authenticate(username, first(attributes, "User-Password"), Instant.now());
            return left.isEmpty() ? reject() : Response.ok(accept(left.get()).build().toString(), MediaType.APPLICATION_JSON).build();
        }
        if (attributes.containsKey("Ruckus-DPSK-EAPOL-Key-Frame")) {
            return dpsk(attributes, username);
        }
        // a controller's MAC authentication of a PPSK device: the MAC as User-Name (Meraki, Aruba: lower-case hex) and
        // Calling-Station-Id (AA-BB-CC-DD-EE-FF); the access point checks the passphrase we answer against the device's
        String mac = first(attributes, "Calling-Station-Id");
        Optional<Credentials.DeviceAccess> device = credentials.device(mac != null ? mac : username, ssid(first(attributes, "Called-Station-Id")),
                Instant.now());
        if (device.isEmpty()) {
            return reject();
        }
        JsonObjectBuilder reply = accept(device.get().left());
        device.get().vendor().addPassphrase(reply, new String(device.get().passphrase(), StandardCharsets.UTF_8));
        java.util.Arrays.fill(device.get().passphrase(), (byte) 0);
        return Response.ok(reply.build().toString(), MediaType.APPLICATION_JSON).build();
    }

    /**
     * A Ruckus access point's external DPSK request: the device's MAC (Calling-Station-Id, else User-Name), the access
     * point's (Ruckus-BSSID, else before the SSID in Called-Station-Id), the SSID (after it, else Ruckus-SSID), and
     * Ruckus-DPSK-Params' members as rlm_rest passes a TLV's: each member on its own (Ruckus-DPSK-Anonce,
     * Ruckus-DPSK-EAPOL-Key-Frame; Ruckus-DPSK-Cipher 4 is AES-CCMP, the only cipher whose MIC is checked here).
     */
    private Response dpsk(JsonObject attributes, String username) {
        String calledStation = first(attributes, "Called-Station-Id");
        String ssid = ssid(calledStation);
        if (ssid == null) {
            ssid = first(attributes, "Ruckus-SSID");
        }
        Optional<byte[]> accessPoint = DpskHandshake.octets(first(attributes, "Ruckus-BSSID")).filter(b -> b.length == 6)
                .or(() -> DpskHandshake.mac(accessPointMac(calledStation)));
        String mac = first(attributes, "Calling-Station-Id") != null ? first(attributes, "Calling-Station-Id") : username;
        Long cipher = number(attributes, "Ruckus-DPSK-Cipher");
        Optional<DpskHandshake> handshake = cipher != null && cipher != 4 ? Optional.empty()
                : DpskHandshake.of(DpskHandshake.mac(mac).orElse(null), accessPoint.orElse(null),
                DpskHandshake.octets(first(attributes, "Ruckus-DPSK-Anonce")).orElse(null),
                DpskHandshake.octets(first(attributes, "Ruckus-DPSK-EAPOL-Key-Frame")).orElse(null));
        if (handshake.isEmpty()) {
            return reject();
        }
        Optional<Credentials.DpskAccess> access = credentials.dpsk(mac, ssid, handshake.get(), Instant.now());
        if (access.isEmpty()) {
            return reject();
        }
        JsonObjectBuilder reply = accept(access.get().left());
        RadiusVendor.addRuckusPairwiseMasterKey(reply, access.get().pairwiseMasterKey());
        java.util.Arrays.fill(access.get().pairwiseMasterKey(), (byte) 0);
        return Response.ok(reply.build().toString(), MediaType.APPLICATION_JSON).build();
    }

    private static JsonObjectBuilder accept(Duration left) {
        return Jsonp.JSON.createObjectBuilder().add("control:Auth-Type", "Accept").add("reply:Session-Timeout", Long.toString(Math.max(1, left.getSeconds())));
    }

    /** The SSID a controller names after the access point's MAC in Called-Station-Id ("AA-BB-CC-DD-EE-FF:Guests"), if it does. */
    static String ssid(String calledStationId) {
        if (calledStationId == null) {
            return null;
        }
        java.util.regex.Matcher m = CALLED_STATION.matcher(calledStationId);
        return m.matches() ? m.group(2) : null;
    }

    /** The access point's MAC a controller names before the SSID in Called-Station-Id, if it does. */
    static String accessPointMac(String calledStationId) {
        if (calledStationId == null) {
            return null;
        }
        java.util.regex.Matcher m = CALLED_STATION.matcher(calledStationId);
        return m.matches() ? m.group(1) : null;
    }

    private static final java.util.regex.Pattern CALLED_STATION = java.util.regex.Pattern.compile("((?:[0-9A-Fa-f]{2}[-:.]?){6}):(.{1,32})");

    /** What rlm_rest reads from the answer: attributes named with the list they go to (control:, reply:). */
    @Schema(name = "RadiusReply", description = "Attributes for FreeRADIUS's rlm_rest, each named with the list it goes to")
    record RadiusReply(@jakarta.json.bind.annotation.JsonbProperty("control:Auth-Type") @Schema(name = "control:Auth-Type", description = "Accept, on an accept")
                       String authType,
                       @jakarta.json.bind.annotation.JsonbProperty("reply:Session-Timeout") @Schema(name = "reply:Session-Timeout",
                               description = "Seconds left in the credential's window, on an accept") String sessionTimeout,
                       @jakarta.json.bind.annotation.JsonbProperty("reply:Reply-Message") @Schema(name = "reply:Reply-Message",
                               description = "Why, on a reject") String replyMessage) {
    }

    private boolean sharedSecretMatches(String sent) {
        if (secret.isEmpty() || secret.get().isBlank() || sent == null) {
            return false;
        }
        return MessageDigest.isEqual(sent.strip().getBytes(StandardCharsets.UTF_8), secret.get().strip().getBytes(StandardCharsets.UTF_8));
    }

    /** rlm_rest's JSON: each attribute an object with a "value" array; a plain string is taken too. */
    private static String first(JsonObject attributes, String name) {
        JsonValue value = attributes.get(name);
        if (value instanceof JsonObject object && object.get("value") instanceof JsonArray values && !values.isEmpty()
                && values.get(0).getValueType() == JsonValue.ValueType.STRING) {
            return values.getString(0);
        }
        if (value != null && value.getValueType() == JsonValue.ValueType.STRING) {
            return attributes.getString(name);
        }
        return null;
    }

    /** A number attribute (rlm_rest writes byte and integer values as JSON numbers), or null. */
    private static Long number(JsonObject attributes, String name) {
        JsonValue value = attributes.get(name);
        if (value instanceof JsonObject object && object.get("value") instanceof JsonArray values && !values.isEmpty()
                && values.get(0) instanceof jakarta.json.JsonNumber n) {
            return n.longValue();
        }
        return null;
    }

    private static Response reject() {
        return Response.status(Response.Status.UNAUTHORIZED).type(MediaType.APPLICATION_JSON)
                .entity("{\"reply:Reply-Message\":\"no valid WiFi credential\"}").build();
    }
}
