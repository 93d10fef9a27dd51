package io.guestbridge.crmsync.internal.inbound;

import io.guestbridge.audit.api.Actor;
import io.guestbridge.crmsync.internal.connectors.ConnectorSettings;
import io.guestbridge.crmsync.internal.connectors.Connectors;
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
import jakarta.ws.rs.GET;
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
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
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
 *
 * <p>Opt-outs come back the same ways, and as Mailchimp's unsubscribe and cleaned webhooks (Mailchimp cannot sign:
 * its URL carries the connector's webhook secret). Each becomes a withdrawal of marketing email in the consent
 * ledger ({@link ConsentWithdrawals}), which the other connectors then follow.
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

    @Inject
    Connectors connectors;

    @Inject
    ConsentWithdrawals withdrawals;

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
                    + "An opt-out (hs_email_optout, hs_email_optout_<id> of a subscription listed in crm.<name>.marketing-subscriptions, "
                    + "HasOptedOutOfEmail or the connector's opt-out property true, its marketing property false) becomes a withdrawal "
                    + "of marketing email in the consent ledger, which every other connector follows. "
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
        ConnectorSettings settings = connectors.named(connector).orElse(null);
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
                if (OptOutSignals.optsOut(settings, property.getKey(), property.getValue())) {
                    Map<String, String> evidence = new java.util.TreeMap<>(change.facts());
                    evidence.put("property", property.getKey());
                    OptOut optOut = new OptOut(change.eventId(), change.email(), change.crmId(), change.at(), property.getKey(), evidence);
                    if (withdrawals.withdraw(connector, guest.get(), optOut, actor)) {
                        applied++;
                    } else {
                        unchanged++;
                    }
                    continue;
                }
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
    private record Change(String eventId, NormalizedEmail email, String crmId, Instant at, Map<String, String> properties,
                          Map<String, String> facts) {
    }

    @POST
    @Path("mailchimp/{key}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Transactional
    @org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements
    @Extension(name = "x-public", value = "true", parseValue = true)
    @Operation(operationId = "receiveMailchimpEvents", summary = "Mailchimp's list webhook (unsubscribe, cleaned)",
            description = "Public: authenticated by the connector's webhook secret (crm.<name>.webhook-secret) in the URL, since Mailchimp "
                    + "does not sign its webhooks. Register https://<host>/api/v1/crm-events/<connector>/mailchimp/<secret> in the "
                    + "audience's webhooks. An unsubscribe or cleaned event becomes a withdrawal of marketing email in the consent "
                    + "ledger (channel crm:<connector>/<type>, with the reason and campaign as evidence), committed before the 200; "
                    + "every other connector follows with its next sync. A redelivery, or an event for a guest whose consent is "
                    + "already withdrawn, changes nothing. Other event types are acknowledged and ignored.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED,
            schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.OBJECT),
            examples = @ExampleObject(name = "unsubscribe", value = "type=unsubscribe&fired_at=2026-11-25+08%3A00%3A00&data%5Baction%5D=unsub"
                    + "&data%5Breason%5D=manual&data%5Bid%5D=8a25ff1d98&data%5Bemail%5D=jane%40example.com&data%5Blist_id%5D=a6b5da1054"
                    + "&data%5Bcampaign_id%5D=4fjk2ma9xd")))
    @APIResponse(responseCode = "200", description = "Applied (and committed), or an event type that is no opt-out",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Outcome.class),
                    examples = @ExampleObject(name = "withdrawn", value = "{\"applied\":1,\"unchanged\":0,\"duplicates\":0,\"unknownContacts\":0,\"ignored\":0}")))
    @APIResponse(responseCode = "400", ref = "#/components/responses/validation")
    @APIResponse(responseCode = "404", ref = "#/components/responses/not-found")
    public Outcome receiveMailchimp(@Parameter(description = "Connector name, as configured (crm.connectors)", required = true)
                                    @PathParam("connector") String connector,
                                    @Parameter(description = "The connector's webhook secret", required = true) @PathParam("key") String key,
                                    InputStream input) throws IOException {
        mailchimpConnector(connector, key);
        byte[] body = input.readNBytes(MAX_BYTES + 1);
        if (body.length > MAX_BYTES) {
            throw new ProblemException(ProblemType.PAYLOAD_TOO_LARGE, "A delivery is at most 1 MB.");
        }
        Optional<OptOut> optOut = MailchimpWebhook.optOut(body);
        if (optOut.isEmpty()) {
            return new Outcome(0, 0, 0, 0, 1);
        }
        if (!links.firstDelivery(connector, optOut.get().eventKey())) {
            return new Outcome(0, 0, 1, 0, 0);
        }
        Optional<GuestId> guest = guests.find(optOut.get().email());
        if (guest.isEmpty()) {
            return new Outcome(0, 0, 0, 1, 0);
        }
        boolean changed = withdrawals.withdraw(connector, guest.get(), optOut.get(), "crm:" + connector);
        return new Outcome(changed ? 1 : 0, changed ? 0 : 1, 0, 0, 0);
    }

    @GET
    @Path("mailchimp/{key}")
    @org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements
    @Extension(name = "x-public", value = "true", parseValue = true)
    @Operation(operationId = "checkMailchimpWebhook", summary = "URL check for Mailchimp's webhook validation",
            description = "Public. Mailchimp sends a GET to a webhook URL before it accepts it: 200 for a Mailchimp connector's "
                    + "right secret; nothing is stored.")
    @APIResponse(responseCode = "200", description = "This is a live listener for that connector",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "listening", value = "{\"status\":\"listening\"}")))
    @APIResponse(responseCode = "404", ref = "#/components/responses/not-found")
    public Map<String, String> checkMailchimp(@Parameter(description = "Connector name, as configured (crm.connectors)", required = true)
                                              @PathParam("connector") String connector,
                                              @Parameter(description = "The connector's webhook secret", required = true) @PathParam("key") String key) {
        mailchimpConnector(connector, key);
        return Map.of("status", "listening");
    }

    /**
     * Refuses a URL that does not name a Mailchimp connector with its secret. Both answer 404 alike, so the URL does
     * not tell a prober which part was wrong.
     */
    private void mailchimpConnector(String connector, String key) {
        boolean mailchimp = config.getOptionalValue("crm." + connector + ".type", String.class).map("mailchimp"::equalsIgnoreCase).orElse(false);
        String secret = config.getOptionalValue("crm." + connector + ".webhook-secret", String.class).orElse("");
        boolean matches = !secret.isBlank() && key != null
                && MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8), key.getBytes(StandardCharsets.UTF_8));
        if (!mailchimp || !matches) {
            throw ProblemException.notFound("No Mailchimp connector listens here: the URL is /api/v1/crm-events/<connector>/mailchimp/"
                    + "<crm.<connector>.webhook-secret> of a connector of type mailchimp.");
        }
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
                Map<String, String> facts = new java.util.TreeMap<>(Map.of("source", "hubspot webhook", "changeSource", source.isEmpty() ? "unknown" : source));
                text(event, "eventId").ifPresent(id -> facts.put("eventId", id));
                text(event, "portalId").ifPresent(id -> facts.put("portalId", id));
                changes.add(new Change(text(event, "eventId").orElse(null), null, objectId, Instant.ofEpochMilli(occurred),
                        Map.of(property, text(event, "propertyValue").orElse("")), facts));
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
            Map<String, String> facts = new java.util.TreeMap<>(Map.of("source", "crm event"));
            text(event, "eventId").ifPresent(id -> facts.put("eventId", id));
            changes.add(new Change(text(event, "eventId").orElse(null), email, crmId, at, properties, facts));
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
