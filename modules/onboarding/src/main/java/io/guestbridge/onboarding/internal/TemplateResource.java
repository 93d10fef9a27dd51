package io.guestbridge.onboarding.internal;

import io.guestbridge.audit.api.Actor;
import io.guestbridge.identity.api.Venues;
import io.guestbridge.onboarding.api.CredentialKind;
import io.guestbridge.platform.api.ProblemException;
import io.guestbridge.platform.api.ProblemType;
import io.guestbridge.platform.api.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
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

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A venue's own words for the message that hands guests their credential, per channel and language, for operators:
 * checked before they are stored (a placeholder that is none, or a message without the network or the passphrase, is
 * refused with the names), removed to go back to the built-in words.
 */
@Path("onboarding/templates")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.OPERATOR)
@Tag(name = "WiFi onboarding: templates", description = "A venue's own words for the credential mail and text message, in English and French.")
public class TemplateResource {

    private static final String MAIL_FR = "{\"channel\":\"email\",\"language\":\"fr\",\"subject\":\"Votre WiFi au {venue}\",\"body\":"
            + "\"Bonjour {firstName},\\n\\nRéseau : {network}\\nMot de passe : {passphrase}\\nValable du {validFrom} au {validUntil}.\"}";

    @Inject
    DeliveryTemplates templates;

    @Inject
    Networks networks;

    @Inject
    Venues venues;

    @Context
    SecurityContext security;

    /** A venue's words for one channel and language as the API shows and takes them. */
    @Schema(name = "WifiDeliveryTemplate", requiredProperties = {"body"})
    public record TemplateView(@Schema(description = "email or sms (read only; the path names it)", readOnly = true,
                                       enumeration = {"email", "sms"}) String channel,
                               @Schema(description = "en or fr (read only; the path names it); a guest reads the language of the venue's "
                                       + "country (fr for France and Monaco, en elsewhere)", readOnly = true, enumeration = {"en", "fr"}) String language,
                               @Schema(description = "email only: the subject, one line of at most 200 characters; placeholders allowed except "
                                       + "{passphrase}", example = "Your WiFi at {venue}") String subject,
                               @Schema(description = "The text, with {network} and {passphrase} (and {username} for a RADIUS network); also "
                                       + "{validFrom}, {validUntil} (the venue's local time), {timeZone}, {venue} and {firstName} (empty when "
                                       + "unknown). At most 4000 characters for email (the QR code follows it), 459 for sms",
                                       example = "Hello {firstName}, join {network} with {passphrase} from {validFrom} to {validUntil}.") String body) {

        static TemplateView of(DeliveryTemplate t) {
            return new TemplateView(t.channel(), t.language(), t.subject(), t.body());
        }
    }

    @GET
    @Path("{venueId}")
    @SecurityRequirement(name = "jwt", scopes = Roles.OPERATOR)
    @Operation(operationId = "listWifiDeliveryTemplates", summary = "The venue's own words for credential messages",
            description = "A channel and language not listed uses the built-in words.")
    @APIResponse(responseCode = "200", description = "The venue's templates", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = TemplateView[].class), examples = @ExampleObject(name = "templates", value = "[" + MAIL_FR + "]")))
    @APIResponse(responseCode = "404", ref = "#/components/responses/not-found")
    public List<TemplateView> list(@Parameter(description = "Venue id", required = true) @PathParam("venueId") String venueId) {
        requireVenue(venueId);
        return templates.of(venueId).stream().map(TemplateView::of).toList();
    }

    @PUT
    @Path("{venueId}/{channel}/{language}")
    @Consumes(MediaType.APPLICATION_JSON)
    @SecurityRequirement(name = "jwt", scopes = Roles.OPERATOR)
    @Transactional
    @Operation(operationId = "setWifiDeliveryTemplate", summary = "Write the venue's own credential message for a channel and language",
            description = "Used for every credential sent from then on. Refused with the names when a placeholder is unknown or the "
                    + "network, the passphrase (or, on a RADIUS network, the user name) is missing. Audited (WIFI_DELIVERY_TEMPLATE_SET, "
                    + "by venue, channel and language).")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TemplateView.class),
            examples = {@ExampleObject(name = "mail in French", value = "{\"subject\":\"Votre WiFi au {venue}\",\"body\":\"Bonjour {firstName},"
                    + "\\n\\nRéseau : {network}\\nMot de passe : {passphrase}\\nValable du {validFrom} au {validUntil}.\"}"),
                    @ExampleObject(name = "text message", value = "{\"body\":\"{venue}: WiFi {network}, password {passphrase}, "
                            + "{validFrom} to {validUntil}\"}")}))
    @APIResponse(responseCode = "200", description = "The template as stored", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = TemplateView.class), examples = @ExampleObject(name = "template", value = MAIL_FR)))
    @APIResponse(responseCode = "400", description = "The template cannot be used: the problem's detail says why, its members "
            + "unknownPlaceholders and missingPlaceholders name them", content = @Content(mediaType = "application/problem+json",
            examples = @ExampleObject(name = "unknown and missing", value = "{\"type\":\"https://guestbridge.io/problems/validation\","
                    + "\"title\":\"The request is not valid\",\"status\":400,\"detail\":\"unknown placeholder(s) {pasphrase}; the placeholders "
                    + "are {firstName}, {network}, {passphrase}, {timeZone}, {username}, {validFrom}, {validUntil}, {venue}. The body must "
                    + "carry {passphrase}, or the guest gets no access from the message\",\"unknownPlaceholders\":[\"pasphrase\"],"
                    + "\"missingPlaceholders\":[\"passphrase\"]}")))
    @APIResponse(responseCode = "404", ref = "#/components/responses/not-found")
    public TemplateView set(@Parameter(description = "Venue id", required = true) @PathParam("venueId") String venueId,
                            @Parameter(description = "email or sms", required = true) @PathParam("channel") String channel,
                            @Parameter(description = "en or fr", required = true) @PathParam("language") String language,
                            TemplateView body) {
        requireVenue(venueId);
        String ch = channelOf(channel);
        String lang = languageOf(language);
        if (body == null) {
            throw ProblemException.invalid("Send the template, e.g. {\"subject\":\"Your WiFi at {venue}\",\"body\":\"Network {network}, "
                    + "passphrase {passphrase}\"}.");
        }
        boolean radius = networks.of(venueId).map(n -> n.kind() == CredentialKind.RADIUS).orElse(false);
        DeliveryTemplate.Check check = DeliveryTemplate.check(ch, body.subject(), body.body(), radius);
        if (!check.ok()) {
            Map<String, Object> members = new LinkedHashMap<>();
            members.put("unknownPlaceholders", List.copyOf(check.unknown()));
            members.put("missingPlaceholders", List.copyOf(check.missing()));
            throw new ProblemException(ProblemType.VALIDATION, String.join(". ", check.problems()), members);
        }
        DeliveryTemplate stored = new DeliveryTemplate(ch, lang, ch.equals(DeliveryTemplate.EMAIL) ? body.subject().strip() : null, body.body());
        return TemplateView.of(templates.set(venueId, stored, Actor.of(security.getUserPrincipal())));
    }

    @DELETE
    @Path("{venueId}/{channel}/{language}")
    // the answer has no body but its problems: a client that accepts only problem+json (as generated clients do for
    // an operation whose only content is a problem) must not be refused with 406
    @Produces({MediaType.APPLICATION_JSON, "application/problem+json"})
    @SecurityRequirement(name = "jwt", scopes = Roles.OPERATOR)
    @Transactional
    @Operation(operationId = "removeWifiDeliveryTemplate", summary = "Go back to the built-in credential message for a channel and language",
            description = "Audited (WIFI_DELIVERY_TEMPLATE_REMOVED).")
    @APIResponse(responseCode = "204", description = "Removed: the built-in words apply")
    @APIResponse(responseCode = "404", ref = "#/components/responses/not-found")
    public Response remove(@Parameter(description = "Venue id", required = true) @PathParam("venueId") String venueId,
                           @Parameter(description = "email or sms", required = true) @PathParam("channel") String channel,
                           @Parameter(description = "en or fr", required = true) @PathParam("language") String language) {
        requireVenue(venueId);
        String ch = channelOf(channel);
        String lang = languageOf(language);
        if (!templates.remove(venueId, ch, lang, Actor.of(security.getUserPrincipal()))) {
            throw ProblemException.notFound("The venue has no " + ch + " template in " + lang + ": the built-in words apply already.");
        }
        return Response.noContent().build();
    }

    private void requireVenue(String venueId) {
        if (venues.find(venueId).isEmpty()) {
            throw ProblemException.notFound("There is no venue " + venueId + " (GET /api/v1/venues lists them).");
        }
    }

    private static String channelOf(String channel) {
        return DeliveryTemplate.channel(channel).orElseThrow(() -> ProblemException.invalid("channel must be email or sms"));
    }

    private static String languageOf(String language) {
        return DeliveryTemplate.language(language).orElseThrow(() -> ProblemException.invalid("language must be en or fr, the languages "
                + "with built-in words"));
    }
}
