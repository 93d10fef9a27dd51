package io.guestbridge.consent.internal;

import io.guestbridge.audit.api.Actor;
import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditTrail;
import io.guestbridge.consent.api.ConsentDecision;
import io.guestbridge.consent.api.ConsentLedger;
import io.guestbridge.consent.api.Wordings;
import io.guestbridge.consent.api.ConsentRecord;
import io.guestbridge.identity.api.GuestDirectory;
import io.guestbridge.identity.api.GuestId;
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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Consent for staff and regulators: the evidence of everything a guest decided (who, when, which
 * exact wording, through which channel, whether withdrawn) and withdrawal on the guest's behalf, which
 * takes effect at once and reaches the CRMs through the outbox.
 */
@Path("guests/{id}/consent")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Consent", description = "The append-only consent ledger: evidence and withdrawal.")
public class ConsentResource {

    @Inject
    ConsentLedger ledger;

    @Inject
    ContainerConsentLedger chain;

    @Inject
    GuestDirectory guests;

    @Inject
    AuditTrail trail;

    @Inject
    Wordings wordings;

    @Context
    SecurityContext security;

    /** The evidence a regulator asks for. */
    @Schema(name = "ConsentEvidence", requiredProperties = {"guest", "currentState", "decisions", "wordings", "chainIntact"})
    public record Evidence(String guest,
                           @Schema(description = "The decision in force per purpose", additionalProperties = ConsentDecision.class)
                           Map<String, String> currentState, List<ConsentLedger.Entry> decisions,
                           @Schema(description = "The exact texts behind the decisions, by id@version") Map<String, Wordings.Wording> wordings,
                           boolean chainIntact) {
    }

    /** A withdrawal. */
    /** The state in force for the purpose after a withdrawal. */
    @Schema(name = "ConsentState", requiredProperties = {"purpose", "decision"})
    public record State(String purpose, ConsentDecision decision) {
    }

    /** A withdrawal. */
    public record Withdrawal(@Schema(example = "marketing_email", required = true) String purpose,
                             @Schema(description = "How the guest asked", example = "phone call to reception") String channel) {
    }

    @GET
    @RolesAllowed({Roles.COMPLIANCE_OFFICER, Roles.DPO})
    @SecurityRequirement(name = "jwt", scopes = {Roles.COMPLIANCE_OFFICER, Roles.DPO})
    @Transactional
    @Operation(operationId = "getConsentEvidence", summary = "Consent evidence of a guest",
            description = "Every decision with the wording version shown, capture time, channel and evidence, the state in force per "
                    + "purpose, and whether the guest's hash chain is intact. Audited (CONSENT_EVIDENCE_EXPORTED).")
    @APIResponse(responseCode = "200", description = "The evidence",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Evidence.class),
                    examples = @ExampleObject(name = "evidence", value = "{\"guest\":\"0190c8a4-7f1e-7b3a-9c1d-3e5f7a9b1c2d\","
                            + "\"currentState\":{\"marketing_email\":\"WITHDRAWN\"},\"decisions\":[{\"sequence\":12,\"purpose\":\"marketing_email\","
                            + "\"decision\":\"GRANTED\",\"wordingId\":\"portal-marketing\",\"wordingVersion\":\"4\",\"capturedAt\":\"2026-11-20T18:02:11Z\","
                            + "\"recordedAt\":\"2026-11-20T18:02:13Z\",\"channel\":\"captive-portal:venue-888/lobby\","
                            + "\"evidence\":{\"checkbox\":\"shown-unticked\"},\"hash\":\"9f2e…\"}],\"wordings\":{\"portal-marketing@4\":{\"id\":\"portal-marketing\","
                            + "\"version\":\"4\",\"purpose\":\"marketing_email\",\"language\":\"en\",\"text\":\"Yes, send me offers by email.\","
                            + "\"contentHash\":\"3f7a…\",\"publishedAt\":\"2026-11-01T09:00:00Z\"}},\"chainIntact\":true}")))
    public Evidence evidence(@Parameter(description = "Guest id", required = true) @PathParam("id") String id) {
        GuestId guest = guests.existing(id);
        List<ConsentLedger.Entry> decisions = ledger.history(guest);
        Map<String, String> current = new TreeMap<>();
        decisions.stream().map(ConsentLedger.Entry::purpose).distinct()
                .forEach(p -> ledger.current(guest, p).ifPresent(d -> current.put(p, d.name())));
        trail.record(AuditEvent.of("consent", "CONSENT_EVIDENCE_EXPORTED").by(Actor.of(security.getUserPrincipal()))
                .about(guest.subjectRef()).with("decisions", decisions.size()).build());
        Map<String, Wordings.Wording> texts = new TreeMap<>();
        decisions.stream().filter(d -> d.wordingId() != null && d.wordingVersion() != null)
                .forEach(d -> wordings.find(d.wordingId(), d.wordingVersion()).ifPresent(w -> texts.put(w.id() + "@" + w.version(), w)));
        return new Evidence(guest.value(), current, decisions, texts, chain.firstBrokenLink(guest).isEmpty());
    }

    @POST
    @Path("withdrawals")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPERATOR, Roles.DPO})
    @SecurityRequirement(name = "jwt", scopes = {Roles.DPO, Roles.OPERATOR})
    @Transactional
    @Operation(operationId = "withdrawConsent", summary = "Withdraw a consent on the guest's behalf",
            description = "Takes effect at once (recorded with the current time) and queues the guest for CRM sync in the same "
                    + "transaction, so unsubscribes reach the CRMs with the next batch. Audited.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Withdrawal.class),
            examples = @ExampleObject(name = "withdrawal", value = "{\"purpose\":\"marketing_email\",\"channel\":\"phone call to reception\"}")))
    @APIResponse(responseCode = "200", description = "The state in force afterwards",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = State.class), examples = @ExampleObject(name = "withdrawn",
                    value = "{\"purpose\":\"marketing_email\",\"decision\":\"WITHDRAWN\"}")))
    public State withdraw(@Parameter(description = "Guest id", required = true) @PathParam("id") String id, Withdrawal body) {
        GuestId guest = guests.existing(id);
        if (body == null || body.purpose() == null) {
            throw ProblemException.invalid("Send the purpose to withdraw, e.g. {\"purpose\":\"marketing_email\"}.");
        }
        String channel = "operator:" + (body.channel() == null || body.channel().isBlank() ? "management-api" : body.channel().strip());
        ConsentRecord withdrawal;
        try {
            withdrawal = new ConsentRecord(guest, body.purpose().strip(), ConsentDecision.WITHDRAWN, null, null, Instant.now(),
                    channel.length() > 200 ? channel.substring(0, 200) : channel, Map.of(), false, false);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid(e.getMessage());
        }
        ledger.append(withdrawal, Actor.of(security.getUserPrincipal()));
        return new State(withdrawal.purpose(), ledger.current(guest, withdrawal.purpose()).orElseThrow());
    }

}
