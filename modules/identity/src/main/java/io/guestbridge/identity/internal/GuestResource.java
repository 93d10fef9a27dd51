package io.guestbridge.identity.internal;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import io.guestbridge.audit.api.Actor;
import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditTrail;
import io.guestbridge.identity.api.GuestDirectory;
import io.guestbridge.identity.api.GuestField;
import io.guestbridge.identity.api.GuestId;
import io.guestbridge.identity.api.NormalizedEmail;
import io.guestbridge.identity.api.Observation;
import io.guestbridge.identity.api.PhoneNumber;
import io.guestbridge.identity.api.SourceSystem;
import io.guestbridge.platform.api.Params;
import io.guestbridge.platform.api.ProblemException;
import io.guestbridge.platform.api.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
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

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Map;
import java.util.TreeMap;

/**
 * Guest profiles for staff: read one with its provenance, find one by email (for privacy requests),
 * rectify a field (Art. 16). Reading personal data is itself audited. Emails travel in request
 * bodies, never in URLs, so they stay out of access logs and browser histories.
 */
@Path("guests")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Guests", description = "Guest profiles with per-field provenance (source of truth per field).")
public class GuestResource {

    private static final String PROFILE_EXAMPLE = "{\"guest\":\"0190c8a4-7f1e-7b3a-9c1d-3e5f7a9b1c2d\",\"fields\":{"
            + "\"EMAIL\":{\"value\":\"jane@example.com\",\"source\":\"WIFI\",\"observedAt\":\"2026-11-25T08:00:00Z\",\"owning\":false},"
            + "\"PHONE\":{\"value\":\"+447911123456\",\"source\":\"CRM\",\"observedAt\":\"2026-11-24T10:00:00Z\",\"owning\":true}}}";

    @Inject
    GuestDirectory directory;

    @Inject
    AuditTrail trail;

    @Context
    SecurityContext security;

    /** A profile as the API shows it. */
    @Schema(name = "Profile", requiredProperties = {"guest", "fields"})
    public record ProfileView(String guest, Map<String, GuestDirectory.Value> fields) {
    }

    /** Which guest has this email. */
    public record EmailQuery(@Schema(example = "jane@example.com", required = true) String email) {
    }

    /** The answer to an email search. */
    @Schema(name = "FoundGuest", requiredProperties = "guest")
    public record Found(String guest) {
    }

    /** A correction of one field. */
    public record Rectification(
            @Schema(description = "The field, e.g. LAST_NAME", example = "LAST_NAME", required = true) String field,
            @Schema(description = "The corrected value", example = "Smith", required = true) String value,
            @Schema(description = "true when the guest asked for it (a verified request); false for an operator's own correction")
            boolean requestedBySubject) {
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Roles.OPERATOR, Roles.DPO})
    @SecurityRequirement(name = "jwt", scopes = {Roles.DPO, Roles.OPERATOR})
    @Transactional
    @Operation(operationId = "getGuest", summary = "A guest's profile with the provenance of every field",
            description = "Personal data: the read is recorded in the audit trail (GUEST_PROFILE_VIEWED).")
    @APIResponse(responseCode = "200", description = "The profile",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ProfileView.class),
                    examples = @ExampleObject(name = "profile", value = PROFILE_EXAMPLE)))
    public ProfileView get(@Parameter(description = "Guest id", required = true) @PathParam("id") String id) {
        GuestId guest = directory.existing(id);
        GuestDirectory.Profile profile = directory.profile(guest)
                .orElseThrow(() -> ProblemException.notFound("There is no guest " + guest.value() + " (or it was erased)."));
        trail.record(AuditEvent.of("identity", "GUEST_PROFILE_VIEWED").by(Actor.of(security.getUserPrincipal()))
                .about(guest.subjectRef()).build());
        Map<String, GuestDirectory.Value> fields = new TreeMap<>();
        profile.fields().forEach((field, value) -> fields.put(field.name(), value));
        return new ProfileView(guest.value(), fields);
    }

    @POST
    @Path("search")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.DPO)
    @SecurityRequirement(name = "jwt", scopes = Roles.DPO)
    @Transactional
    @Operation(operationId = "findGuestByEmail", summary = "Find the guest of an email (exact, after normalisation)",
            description = "For privacy requests. The email goes in the body, not the URL. Audited (GUEST_LOOKED_UP).")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EmailQuery.class),
            examples = @ExampleObject(name = "query", value = "{\"email\":\"Jane@Example.com\"}")))
    @APIResponse(responseCode = "404", ref = "#/components/responses/not-found")
    @APIResponse(responseCode = "200", description = "The guest",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Found.class),
                    examples = @ExampleObject(name = "found", value = "{\"guest\":\"0190c8a4-7f1e-7b3a-9c1d-3e5f7a9b1c2d\"}")))
    public Found search(EmailQuery query) {
        NormalizedEmail email = email(query == null ? null : query.email());
        GuestId guest = directory.find(email)
                .orElseThrow(() -> ProblemException.notFound("No guest has this email address."));
        trail.record(AuditEvent.of("identity", "GUEST_LOOKED_UP").by(Actor.of(security.getUserPrincipal()))
                .about(guest.subjectRef()).build());
        return new Found(guest.value());
    }

    @POST
    @Path("{id}/rectifications")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPERATOR, Roles.DPO})
    @SecurityRequirement(name = "jwt", scopes = {Roles.DPO, Roles.OPERATOR})
    @Transactional
    @Operation(operationId = "rectifyGuest", summary = "Correct a field (Art. 16)",
            description = "The correction outranks what any system reported before it, and stands until the field's master "
                    + "system reports a newer value. Audited (GUEST_RECTIFIED, without the value) and queued for CRM sync.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Rectification.class),
            examples = @ExampleObject(name = "last name", value = "{\"field\":\"LAST_NAME\",\"value\":\"Smith\",\"requestedBySubject\":true}")))
    @APIResponse(responseCode = "200", description = "The profile after the correction",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ProfileView.class)))
    public ProfileView rectify(@Parameter(description = "Guest id", required = true) @PathParam("id") String id, Rectification body) {
        GuestId guest = directory.existing(id);
        if (body == null || body.field() == null || body.value() == null || body.value().isBlank()) {
            throw ProblemException.invalid("Send field and value, e.g. {\"field\":\"LAST_NAME\",\"value\":\"Smith\"}.");
        }
        GuestField field;
        try {
            field = GuestField.valueOf(body.field().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("field must be one of " + java.util.Arrays.toString(GuestField.values()));
        }
        String value = switch (field) {
            case EMAIL -> email(body.value()).value();
            case PHONE -> phone(body.value());
            default -> body.value().strip();
        };
        if (value.length() > 200) {
            throw ProblemException.invalid("value is longer than 200 characters");
        }
        directory.observe(guest, new Observation(field, value, body.requestedBySubject() ? SourceSystem.SUBJECT : SourceSystem.OPERATOR,
                Instant.now()), Actor.of(security.getUserPrincipal()));
        return get(id);
    }

    /** What a guest did: derived counters, visits, devices (never a MAC or its hash), stays. */
    @Schema(name = "Activity", requiredProperties = {"summary", "visits", "devices", "stays"})
    public record ActivityView(GuestDirectory.VisitSummary summary, List<GuestDirectory.VisitEntry> visits,
                               List<GuestDirectory.DeviceEntry> devices, List<GuestDirectory.StayEntry> stays) {
    }

    @GET
    @Path("{id}/visits")
    @RolesAllowed({Roles.OPERATOR, Roles.DPO})
    @SecurityRequirement(name = "jwt", scopes = {Roles.DPO, Roles.OPERATOR})
    @Transactional
    @Operation(operationId = "listGuestVisits", summary = "A guest's visits, devices and stays",
            description = "Visits are one per venue and day in the venue's time zone; the counters are derived from them, so "
                    + "replayed or late events never double count. Devices show only whether the MAC was randomised and the parsed "
                    + "type and OS. Audited (GUEST_ACTIVITY_VIEWED).")
    @APIResponse(responseCode = "200", description = "The activity",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ActivityView.class),
                    examples = @ExampleObject(name = "activity", value = "{\"summary\":{\"visits\":2,\"totalDwellMinutes\":95,"
                            + "\"firstSeen\":\"2026-11-20T18:02:00Z\",\"lastSeen\":\"2026-11-24T21:40:00Z\"},\"visits\":[{\"venueId\":"
                            + "\"5b0c…\",\"venueName\":\"The Grand Hotel - Manchester\",\"day\":\"2026-11-24\",\"firstSeen\":"
                            + "\"2026-11-24T20:02:00Z\",\"lastSeen\":\"2026-11-24T21:40:00Z\",\"dwellMinutes\":48,\"zone\":\"Lobby\","
                            + "\"logins\":3}],\"devices\":[{\"randomised\":true,\"deviceType\":\"iPhone\",\"os\":\"iOS 17\"}],"
                            + "\"stays\":[]}")))
    public ActivityView visits(@Parameter(description = "Guest id", required = true) @PathParam("id") String id,
                               @Parameter(description = "At most this many visits, latest first (1–500, default 100)")
                               @QueryParam("limit") String limit) {
        GuestId guest = directory.existing(id);
        int max = Params.intInRange("limit", limit, 100, 1, 500);
        trail.record(AuditEvent.of("identity", "GUEST_ACTIVITY_VIEWED").by(Actor.of(security.getUserPrincipal()))
                .about(guest.subjectRef()).build());
        return new ActivityView(directory.visitSummary(guest), directory.visits(guest, max), directory.devices(guest), directory.stays(guest));
    }

    /** One guest in the change feed, with its profile as it is now. */
    @Schema(name = "GuestChange", requiredProperties = {"sequence", "guest", "changedAt", "fields", "visits"})
    public record ChangeView(@Schema(type = SchemaType.INTEGER, format = "int64") long sequence, String guest, Instant changedAt, Map<String, GuestDirectory.Value> fields,
                             GuestDirectory.VisitSummary visits) {
    }

    /** A page of the change feed; pass nextCursor back to continue. */
    @Schema(name = "GuestChangePage", requiredProperties = {"changes", "nextCursor"})
    public record ChangePage(List<ChangeView> changes, @Schema(type = SchemaType.INTEGER, format = "int64") long nextCursor) {
    }

    @GET
    @Path("changes")
    @RolesAllowed(Roles.INTEGRATION)
    @SecurityRequirement(name = "jwt", scopes = Roles.INTEGRATION)
    @Transactional
    @Operation(operationId = "listGuestChanges", summary = "Guests created or changed since a cursor (pull API)",
            description = "Guests in the order of their changes' audit sequence numbers; within a page each guest appears once, at "
                    + "its latest change; the cursor is the sequence of the last change read. A change appears once the audit log "
                    + "has numbered it (normally well within a second of its commit), and numbers are handed out without gaps and "
                    + "never behind one already visible, so following nextCursor misses nothing and repeats nothing, also under "
                    + "concurrent writes. Start with cursor=0. Audited (GUEST_CHANGES_READ, with the count).")
    @APIResponse(responseCode = "200", description = "A page of changes",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ChangePage.class),
                    examples = @ExampleObject(name = "page", value = "{\"changes\":[{\"sequence\":1042,\"guest\":"
                            + "\"0190c8a4-7f1e-7b3a-9c1d-3e5f7a9b1c2d\",\"changedAt\":\"2026-11-25T08:00:00Z\",\"fields\":{\"EMAIL\":"
                            + "{\"value\":\"jane@example.com\",\"source\":\"WIFI\",\"observedAt\":\"2026-11-25T08:00:00Z\",\"owning\":false}},"
                            + "\"visits\":{\"visits\":1,\"totalDwellMinutes\":47,\"firstSeen\":\"2026-11-25T08:00:00Z\",\"lastSeen\":"
                            + "\"2026-11-25T08:00:00Z\"}}],\"nextCursor\":1042}")))
    public ChangePage changes(@Parameter(description = "The nextCursor of the previous page; 0 to start", example = "0")
                              @QueryParam("cursor") String cursor,
                              @Parameter(description = "Page size (1–500, default 100)", example = "100") @QueryParam("limit") String limit) {
        long after;
        try {
            after = cursor == null || cursor.isBlank() ? 0 : Long.parseLong(cursor.trim());
        } catch (NumberFormatException e) {
            throw ProblemException.invalid("cursor must be the nextCursor of a previous page (a whole number), or 0 to start");
        }
        if (after < 0) {
            throw ProblemException.invalid("cursor must not be negative");
        }
        int max = Params.intInRange("limit", limit, 100, 1, 500);
        List<ChangeView> views = new ArrayList<>();
        long next = after;
        for (GuestDirectory.Change change : directory.changes(after, max)) {
            next = change.sequence();
            Optional<GuestDirectory.Profile> profile = directory.profile(change.guest());
            if (profile.isEmpty()) {
                continue; // erased between the two reads
            }
            Map<String, GuestDirectory.Value> fields = new TreeMap<>();
            profile.get().fields().forEach((field, value) -> fields.put(field.name(), value));
            views.add(new ChangeView(change.sequence(), change.guest().value(), change.changedAt(), fields, directory.visitSummary(change.guest())));
        }
        trail.record(AuditEvent.of("identity", "GUEST_CHANGES_READ").by(Actor.of(security.getUserPrincipal()))
                .with("after", after).with("count", views.size()).build());
        return new ChangePage(views, next);
    }

    private static NormalizedEmail email(String raw) {
        try {
            return NormalizedEmail.parse(raw);
        } catch (NormalizedEmail.InvalidEmail e) {
            throw ProblemException.invalid("email: " + e.getMessage());
        }
    }

    private static String phone(String raw) {
        try {
            return PhoneNumber.parse(raw, null).e164();
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("value: " + e.getMessage() + " (give it in international form, e.g. +44 7911 123456)");
        }
    }
}
