package io.guestbridge.crmsync.internal.inbound;

import io.guestbridge.audit.api.Actor;
import io.guestbridge.crmsync.internal.connectors.hubspot.HubSpotSignature;
import io.guestbridge.crmsync.internal.links.CrmLinks;
import io.guestbridge.identity.api.GuestDirectory;
import io.guestbridge.identity.api.GuestField;
import io.guestbridge.identity.api.GuestId;
import io.guestbridge.identity.api.NormalizedEmail;
import io.guestbridge.identity.api.Observation;
import io.guestbridge.identity.api.SourceSystem;
import io.guestbridge.platform.api.Jsonp;
import io.guestbridge.platform.api.ProblemException;
import io.guestbridge.platform.api.ProblemType;
import io.guestbridge.platform.api.Roles;
import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeIn;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Changes made in a CRM, reported back (a guest's phone number corrected in
 * the CRM must survive their next WiFi login). HubSpot's {@code contact.propertyChange} webhooks arrive
 * signed with the app's client secret (signature v3); middleware and other CRMs post the canonical form
 * with a token of role {@code integration}. Changes become CRM observations of CRM-master fields, judged
 * by the time they happened in the CRM, so a late redelivery cannot undo a newer value; an event id
 * seen before is not applied twice. Changes that guestbridge itself caused (HubSpot changeSource
 * INTEGRATION or API) are not echoed back.
 */
@Path("crm-events/{connector}")
@RequestScoped
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "CRM events", description = "Changes made in the CRM, reported back to guestbridge.")
@SecurityScheme(securitySchemeName = "hubspotSignature", type = SecuritySchemeType.APIKEY, in = SecuritySchemeIn.HEADER,
        apiKeyName = HubSpotSignature.SIGNATURE_HEADER, description = "HubSpot signature v3: HMAC-SHA256 with the connector's client "
        + "secret over method, URL, body and X-HubSpot-Request-Timestamp (refused when more than 5 minutes old)")
public class CrmEventResource {

    private static final int MAX_BYTES = 1_000_000;
    private static final int MAX_EVENTS = 1_000;

    /** CRM property names (as each CRM spells them, compared lower-case) and the guest fields they feed. */
    private static final Map<String, GuestField> PROPERTIES = Map.ofEntries(
            Map.entry("firstname", GuestField.FIRST_NAME), Map.entry("first_name", GuestField.FIRST_NAME),
            Map.entry("lastname", GuestField.LAST_NAME), Map.entry("last_name", GuestField.LAST_NAME),
            Map.entry("phone", GuestField.PHONE), Map.entry("mobilephone", GuestField.PHONE),
            Map.entry("date_of_birth", GuestField.BIRTH_DATE), Map.entry("birthdate", GuestField.BIRTH_DATE),
            Map.entry("birth_date", GuestField.BIRTH_DATE), Map.entry("gender", GuestField.GENDER),
            Map.entry("genderidentity", GuestField.GENDER));

    @Inject
    GuestDirectory guests;

    @Inject
    CrmLinks links;

    @Inject
    Config config;

    @Context
    SecurityContext security;

    @Context
    HttpServletRequest request;

    /** What happened to a delivery. */
    @Schema(name = "CrmEventOutcome", requiredProperties = {"applied", "unchanged", "duplicates", "unknownContacts", "ignored"})
    public record Outcome(int applied, int unchanged, int duplicates, int unknownContacts, int ignored) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
    @SecurityRequirement(name = "jwt", scopes = Roles.INTEGRATION)
    @SecurityRequirement(name = "hubspotSignature")
    @Extension(name = "x-authentication", value = "HubSpot signature v3 (X-HubSpot-Signature-v3 with the connector's client secret), "
            + "or a bearer token of role integration")
    @Extension(name = "x-body-object-or-array", value = "true", parseValue = true)
    @Operation(operationId = "receiveCrmEvents", summary = "Changes made in a CRM (HubSpot webhooks or the canonical form)",
            description = "HubSpot: the JSON array HubSpot's webhooks send (subscriptionType contact.propertyChange, objectId, "
                    + "propertyName, propertyValue, occurredAt, eventId), signed with signature v3; the contact is found by the id "
                    + "HubSpot gave it when guestbridge synced it. Canonical (role integration): {\"events\":[{\"eventId\":\"..\","
                    + "\"email\":\"..\" or \"crmId\":\"..\",\"changedAt\":\"ISO-8601\",\"properties\":{\"phone\":\"..\"}}]}. "
                    + "Properties firstname, lastname, phone, mobilephone, date_of_birth/birthdate, gender become CRM observations "
                    + "(CRM-master fields); others are ignored. Email changes are not applied (the email keys the guest). "
                    + "Everything in one delivery is committed before the 200.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(description = "HubSpot's array of webhook events, or the canonical {\"events\": [...]}"),
            examples = {
            @ExampleObject(name = "hubspot", value = "[{\"eventId\":1001,\"subscriptionId\":42,\"portalId\":62515,\"occurredAt\":1795600000000,"
                    + "\"subscriptionType\":\"contact.propertyChange\",\"attemptNumber\":0,\"objectId\":101,\"changeSource\":\"CRM_UI\","
                    + "\"propertyName\":\"phone\",\"propertyValue\":\"+44 7911 123456\"}]"),
            @ExampleObject(name = "canonical", value = "{\"events\":[{\"eventId\":\"chg-77\",\"email\":\"jane@example.com\","
                    + "\"changedAt\":\"2026-11-25T08:00:00Z\",\"properties\":{\"phone\":\"+44 7911 123456\"}}]}")}))
    @APIResponse(responseCode = "200", description = "Applied (and committed)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Outcome.class),
                    examples = @ExampleObject(name = "outcome", value = "{\"applied\":1,\"unchanged\":0,\"duplicates\":0,\"unknownContacts\":0,\"ignored\":0}")))
    public Outcome receive(@Parameter(description = "Connector name, as configured (crm.connectors)", required = true) @PathParam("connector") String connector,
                           @HeaderParam(HubSpotSignature.SIGNATURE_HEADER) String signature,
                           @HeaderParam(HubSpotSignature.TIMESTAMP_HEADER) String timestamp,
                           InputStream input) throws IOException {
        if (signature == null) {
            // a token caller is told about its token before anything about the connector
            if (security.getUserPrincipal() == null) {
                throw new ProblemException(ProblemType.UNAUTHENTICATED, "Sign the delivery (HubSpot signature v3) or send a bearer token "
                        + "of role integration.", Map.of());
            }
            if (!security.isUserInRole(Roles.INTEGRATION)) {
                throw new ProblemException(ProblemType.FORBIDDEN, "Only role integration may post CRM events.", Map.of());
            }
        }
        String type = config.getOptionalValue("crm." + connector + ".type", String.class)
                .orElseThrow(() -> ProblemException.notFound("No CRM connector is configured as " + connector + " (crm.connectors)."));
        byte[] body = input.readNBytes(MAX_BYTES + 1);
        if (body.length > MAX_BYTES) {
            throw new ProblemException(ProblemType.PAYLOAD_TOO_LARGE, "A delivery is at most 1 MB.");
        }
        String actor;
        if (signature != null) {
            String secret = config.getOptionalValue("crm." + connector + ".webhook-secret", String.class).orElseThrow(() ->
                    new ProblemException(ProblemType.UNAUTHENTICATED, "The connector has no webhook secret configured "
                            + "(crm." + connector + ".webhook-secret); signed deliveries cannot be checked.", Map.of()));
            String uri = config.getOptionalValue("crm." + connector + ".webhook-url", String.class)
                    .orElse(request.getRequestURL() + (request.getQueryString() == null ? "" : "?" + request.getQueryString()));
            String problem = HubSpotSignature.problem(secret, "POST", uri, body, timestamp, signature, Instant.now());
            if (problem != null) {
                throw new ProblemException(ProblemType.UNAUTHENTICATED, "The HubSpot signature is not valid: " + problem + ".", Map.of());
            }
            actor = "crm:" + connector;
        } else {
            actor = Actor.of(security.getUserPrincipal());
        }
        List<Change> changes = parse(body, "hubspot".equalsIgnoreCase(type));
        int applied = 0;
        int unchanged = 0;
        int duplicates = 0;
        int unknown = 0;
        int ignored = 0;
        for (Change change : changes) {
            if (change.eventId() != null && !links.firstDelivery(connector, change.eventId())) {
                duplicates++;
                continue;
            }
            Optional<GuestId> guest = change.email() != null ? guests.find(change.email()) : links.guest(connector, change.crmId());
            if (guest.isEmpty()) {
                unknown++;
                continue;
            }
            for (Map.Entry<String, String> property : change.properties().entrySet()) {
                Optional<Observation> observation = observation(property.getKey(), property.getValue(), change.at());
                if (observation.isEmpty()) {
                    ignored++;
                } else if (guests.observe(guest.get(), observation.get(), actor)) {
                    applied++;
                } else {
                    unchanged++;
                }
            }
        }
        return new Outcome(applied, unchanged, duplicates, unknown, ignored);
    }

    /** One reported change: who (email or CRM id), when, which properties. */
    private record Change(String eventId, NormalizedEmail email, String crmId, Instant at, Map<String, String> properties) {
    }

    private static Optional<Observation> observation(String property, String value, Instant at) {
        GuestField field = PROPERTIES.get(property.toLowerCase(Locale.ROOT));
        if (field == null || value == null || value.isBlank()) {
            return Optional.empty();
        }
        // a phone goes as the CRM holds it: the identity module reads it, and keeps it flagged if it is not a valid number
        String normalized = value.strip();
        return Optional.of(new Observation(field, normalized.length() > 200 ? normalized.substring(0, 200) : normalized, SourceSystem.CRM, at));
    }

    private static List<Change> parse(byte[] body, boolean hubspot) {
        JsonValue root;
        try {
            root = Jsonp.JSON.createReader(new ByteArrayInputStream(body)).readValue();
        } catch (JsonException e) {
            throw new ProblemException(ProblemType.MALFORMED_BODY, "The body is not well-formed JSON.");
        }
        List<Change> changes = new ArrayList<>();
        if (root.getValueType() == JsonValue.ValueType.ARRAY) {
            if (root.asJsonArray().size() > MAX_EVENTS) {
                throw ProblemException.invalid("At most " + MAX_EVENTS + " events per delivery.");
            }
            for (JsonValue value : root.asJsonArray()) {
                JsonObject event = object(value);
                String subscription = text(event, "subscriptionType").orElse("");
                String source = text(event, "changeSource").orElse("");
                if (!subscription.equals("contact.propertyChange") || source.equals("INTEGRATION") || source.equals("API")) {
                    continue; // other subscriptions, and echoes of guestbridge's own writes
                }
                String objectId = text(event, "objectId").orElseThrow(() -> ProblemException.invalid("a HubSpot event has no objectId"));
                String property = text(event, "propertyName").orElseThrow(() -> ProblemException.invalid("a HubSpot event has no propertyName"));
                long occurred = event.containsKey("occurredAt") && event.get("occurredAt") instanceof JsonNumber n ? n.longValue() : -1;
                if (occurred <= 0) {
                    throw ProblemException.invalid("a HubSpot event has no occurredAt (epoch milliseconds)");
                }
                changes.add(new Change(text(event, "eventId").orElse(null), null, objectId, Instant.ofEpochMilli(occurred),
                        Map.of(property, text(event, "propertyValue").orElse(""))));
            }
            if (!hubspot && !changes.isEmpty()) {
                throw ProblemException.invalid("This connector is not HubSpot: send {\"events\":[…]} in the canonical form.");
            }
            return changes;
        }
        JsonObject object = object(root);
        if (!(object.get("events") instanceof jakarta.json.JsonArray events)) {
            throw ProblemException.invalid("Send {\"events\":[…]} (canonical form) or HubSpot's array of webhook events.");
        }
        if (events.size() > MAX_EVENTS) {
            throw ProblemException.invalid("At most " + MAX_EVENTS + " events per delivery.");
        }
        for (JsonValue value : events) {
            JsonObject event = object(value);
            NormalizedEmail email = null;
            Optional<String> rawEmail = text(event, "email");
            if (rawEmail.isPresent()) {
                try {
                    email = NormalizedEmail.parse(rawEmail.get());
                } catch (IllegalArgumentException e) {
                    throw ProblemException.invalid("an event's email is not valid: " + e.getMessage());
                }
            }
            String crmId = text(event, "crmId").orElse(null);
            if (email == null && crmId == null) {
                throw ProblemException.invalid("every event needs email or crmId");
            }
            Instant at;
            try {
                at = Instant.parse(text(event, "changedAt").orElseThrow(() -> ProblemException.invalid("every event needs changedAt (ISO-8601)")));
            } catch (DateTimeParseException e) {
                throw ProblemException.invalid("changedAt must be ISO-8601 with Z, e.g. 2026-11-25T08:00:00Z");
            }
            if (at.isAfter(Instant.now().plusSeconds(3600))) {
                throw ProblemException.invalid("changedAt is in the future");
            }
            Map<String, String> properties = new java.util.TreeMap<>();
            if (event.get("properties") instanceof JsonObject props) {
                props.forEach((k, v) -> properties.put(k, v instanceof JsonString s ? s.getString() : v.toString()));
            }
            changes.add(new Change(text(event, "eventId").orElse(null), email, crmId, at, properties));
        }
        return changes;
    }

    private static JsonObject object(JsonValue value) {
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new ProblemException(ProblemType.MALFORMED_BODY, "Every event must be a JSON object.");
        }
        return value.asJsonObject();
    }

    private static Optional<String> text(JsonObject object, String key) {
        JsonValue value = object.get(key);
        if (value instanceof JsonString s && !s.getString().isBlank()) {
            return Optional.of(s.getString().length() > 100 && !key.equals("propertyValue") ? s.getString().substring(0, 100) : s.getString());
        }
        if (value instanceof JsonNumber n) {
            return Optional.of(n.toString());
        }
        return Optional.empty();
    }
}
