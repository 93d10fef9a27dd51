package io.guestbridge.audit.internal;

import io.guestbridge.tlog.Checkpoint;
import io.guestbridge.tlog.NoteKey;
import io.guestbridge.audit.api.Actor;
import io.guestbridge.audit.api.AuditReader;
import io.guestbridge.platform.api.Params;
import io.guestbridge.platform.api.ProblemException;
import io.guestbridge.platform.api.ProblemType;
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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The compliance officer's window on the audit trail: query it, and verify that nobody changed it. */
@Path("audit")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Audit trail", description = "The append-only, hash-chained record of every change to personal data, "
        + "consent, sync and privacy requests. Contains pseudonymous ids, never personal data.")
public class AuditResource {

    private static final String RECORD_EXAMPLE = "{\"sequence\":42,\"occurredAt\":\"2026-11-25T08:15:30.123456Z\","
            + "\"actor\":\"system:ingestion-worker\",\"action\":\"CONSENT_GRANTED\",\"module\":\"consent\","
            + "\"subject\":\"guest:0190c8a4-7f1e-7b3a-9c1d-3e5f7a9b1c2d\",\"details\":{\"purpose\":\"marketing_email\",\"wordingVersion\":\"3\"},"
            + "\"previousHash\":\"5b1c…\",\"hash\":\"9f2e…\"}";

    private static final String CHECKPOINT_EXAMPLE = "guestbridge.example/audit\n1520\nmZDLlXh0CmgdIKBpsDJhFP5JQqN9Ah1sFmA2pqXdWe0=\n\n"
            + "\u2014 guestbridge.example/audit YRiC3YJYkO61pojRiJd4vydnmkilQE/FMAYFd3yHmUuA5t2UXMv+p/LEHOEojFzbr7V3f0IafWpSZ/RZjadJKdyeads=\n";

    private static final String VERIFIED_EXAMPLE = "{\"intact\":true,\"checkedRecords\":1520,\"headSequence\":1520,\"checkpointsChecked\":310}";
    private static final String BROKEN_EXAMPLE = "{\"intact\":false,\"checkedRecords\":1520,\"headSequence\":1520,\"checkpointsChecked\":12,"
            + "\"firstBroken\":{\"sequence\":42,\"reason\":\"record 42 is not the record the checkpoint of tree size 42 signed: it was changed, "
            + "removed or moved\"}}";

    @Inject
    AuditRecords records;

    @Inject
    AuditReaderDesk desk;

    @Inject
    AuditProofs proofs;

    @Inject
    AuditLogKey logKey;


    @Context
    SecurityContext security;

    @GET
    @Path("records")
    @RolesAllowed(Roles.COMPLIANCE_OFFICER)
    @SecurityRequirement(name = "jwt", scopes = Roles.COMPLIANCE_OFFICER)
    @Operation(operationId = "listAuditRecords", summary = "Query the audit trail",
            description = "Records in sequence order, filtered by subject, actor, action, module and time range. "
                    + "Each of subject, actor, action and module may be repeated (at most 20 times) for records with any of the values, "
                    + "e.g. ?action=CONSENT_WITHDRAWN&action=CONSENT_GRANTED; different fields must all match. "
                    + "Page with the returned nextCursor.")
    @APIResponse(responseCode = "200", description = "One page of records",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = AuditRecordView.Page.class),
                    examples = @ExampleObject(name = "page", value = "{\"records\":[" + RECORD_EXAMPLE + "],\"nextCursor\":\"YWZ0ZXI6NDI\"}")))
    public AuditRecordView.Page list(
            @Parameter(description = "Pseudonymous subject reference; repeat for several (at most 20)", example = "guest:0190c8a4-7f1e-7b3a-9c1d-3e5f7a9b1c2d",
                    schema = @Schema(type = SchemaType.ARRAY, implementation = String.class, maxItems = AuditReader.MAX_VALUES)) @QueryParam("subject") List<String> subjects,
            @Parameter(description = "Who acted; repeat for several (at most 20)", example = "system:ingestion-worker",
                    schema = @Schema(type = SchemaType.ARRAY, implementation = String.class, maxItems = AuditReader.MAX_VALUES)) @QueryParam("actor") List<String> actors,
            @Parameter(description = "What happened; repeat for several (at most 20)", example = "CONSENT_WITHDRAWN",
                    schema = @Schema(type = SchemaType.ARRAY, implementation = String.class, maxItems = AuditReader.MAX_VALUES)) @QueryParam("action") List<String> actions,
            @Parameter(description = "Module that acted; repeat for several (at most 20)", example = "consent",
                    schema = @Schema(type = SchemaType.ARRAY, implementation = String.class, maxItems = AuditReader.MAX_VALUES)) @QueryParam("module") List<String> modules,
            @Parameter(description = "From this instant (inclusive), ISO-8601 UTC", example = "2026-11-01T00:00:00Z") @QueryParam("from") String from,
            @Parameter(description = "Before this instant (exclusive), ISO-8601 UTC", example = "2026-12-01T00:00:00Z") @QueryParam("to") String to,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor,
            @Parameter(description = "Records per page, 1 to 1000", schema = @Schema(type = SchemaType.INTEGER, defaultValue = "100")) @QueryParam("limit") String limit) {
        AuditReader.Filter filter = new AuditReader.Filter(subjects, actors, actions, modules, Params.instant("from", from), Params.instant("to", to));
        AuditRecords.Page page = records.find(filter, cursor, Params.intInRange("limit", limit, 100, 1, 1000));
        return new AuditRecordView.Page(page.records().stream().map(AuditRecordView::of).toList(), page.nextCursor());
    }

    @GET
    @Path("records/{sequence}")
    @RolesAllowed(Roles.COMPLIANCE_OFFICER)
    @SecurityRequirement(name = "jwt", scopes = Roles.COMPLIANCE_OFFICER)
    @Operation(operationId = "getAuditRecord", summary = "One audit record by its sequence number")
    @APIResponse(responseCode = "200", description = "The record",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AuditRecordView.class),
                    examples = @ExampleObject(name = "record", value = RECORD_EXAMPLE)))
    public AuditRecordView get(@Parameter(description = "Sequence number", example = "42", required = true) @PathParam("sequence") String sequence) {
        long seq;
        try {
            seq = Long.parseLong(sequence);
        } catch (NumberFormatException e) {
            throw ProblemException.invalid("sequence must be a whole number");
        }
        return records.find(seq).map(AuditRecordView::of)
                .orElseThrow(() -> ProblemException.notFound("There is no audit record with sequence number " + seq + "."));
    }

    @GET
    @Path("checkpoint")
    @Produces(MediaType.TEXT_PLAIN + ";charset=utf-8")
    @RolesAllowed(Roles.COMPLIANCE_OFFICER)
    @SecurityRequirement(name = "jwt", scopes = Roles.COMPLIANCE_OFFICER)
    @Operation(operationId = "getAuditCheckpoint", summary = "The latest signed checkpoint of the audit log",
            description = "A C2SP tlog-checkpoint (origin, tree size, base64 RFC 9162 root hash) in a C2SP signed note, signed with "
                    + "the deployment's Ed25519 audit key. Keep copies: any later checkpoint must be consistent with it "
                    + "(GET /audit/consistency), and every record it covers has an inclusion proof against it.")
    @APIResponse(responseCode = "200", description = "The signed note",
            content = @Content(mediaType = MediaType.TEXT_PLAIN, schema = @Schema(type = SchemaType.STRING),
                    examples = @ExampleObject(name = "checkpoint", value = CHECKPOINT_EXAMPLE)))
    @APIResponse(responseCode = "404", ref = "#/components/responses/not-found")
    @APIResponse(responseCode = "503", ref = "#/components/responses/unavailable")
    public String checkpoint() {
        return proofs.latestCheckpoint();
    }

    @GET
    @Path("checkpoints")
    @RolesAllowed(Roles.COMPLIANCE_OFFICER)
    @SecurityRequirement(name = "jwt", scopes = Roles.COMPLIANCE_OFFICER)
    @Operation(operationId = "listAuditCheckpoints", summary = "The history of signed checkpoints",
            description = "Every signed checkpoint, smallest tree first, with the verifier key that checks their signatures. "
                    + "Page with after=nextCursor.")
    @APIResponse(responseCode = "200", description = "One page of checkpoints",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AuditLogViews.CheckpointPage.class),
                    examples = @ExampleObject(name = "page", value = "{\"verifierKey\":\"guestbridge.example/audit+3a1c5e9b+AW9ZCc2p2Ybb0NyQ2I6Hlw3mVXDn3QWhPq7rG5PDxVzT\","
                            + "\"checkpoints\":[{\"treeSize\":1520,\"rootHash\":\"mZDLlXh0CmgdIKBpsDJhFP5JQqN9Ah1sFmA2pqXdWe0=\","
                            + "\"createdAt\":\"2026-11-25T08:15:31.002Z\",\"note\":" + "\"guestbridge.example/audit\\n1520\\nmZDLlXh0CmgdIKBpsDJhFP5JQqN9Ah1sFmA2pqXdWe0=\\n\\n\u2014 guestbridge.example/audit OhxemzP3…\\n\"}],"
                            + "\"nextCursor\":1520}")))
    @APIResponse(responseCode = "400", ref = "#/components/responses/validation")
    public AuditLogViews.CheckpointPage checkpoints(
            @Parameter(description = "Only checkpoints of larger trees than this (the nextCursor of the previous page)", example = "0") @QueryParam("after") String after,
            @Parameter(description = "Checkpoints per page, 1 to 1000", schema = @Schema(type = SchemaType.INTEGER, defaultValue = "100")) @QueryParam("limit") String limit) {
        return proofs.checkpoints(wholeNumber("after", after, 0), Params.intInRange("limit", limit, 100, 1, 1000));
    }

    @GET
    @Path("records/{sequence}/inclusion")
    @RolesAllowed(Roles.COMPLIANCE_OFFICER)
    @SecurityRequirement(name = "jwt", scopes = Roles.COMPLIANCE_OFFICER)
    @Operation(operationId = "getAuditInclusionProof", summary = "Proof that a record is in the audit log",
            description = "The RFC 9162 inclusion proof of the record as leaf sequence - 1 of the Merkle tree of treeSize leaves. "
                    + "Hash the leaf entry as SHA-256(0x00 || entry), fold the audit path as RFC 9162 section 2.1.3.2 says, and compare "
                    + "with the root hash of a signed checkpoint of that tree size.")
    @APIResponse(responseCode = "200", description = "The proof",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AuditLogViews.InclusionProof.class),
                    examples = @ExampleObject(name = "proof", value = "{\"sequence\":42,\"leafIndex\":41,\"treeSize\":1520,"
                            + "\"leafEntry\":\"{\\\"seq\\\":\\\"42\\\",\\\"at\\\":\\\"2026-11-25T08:15:30.123456Z\\\",…}\","
                            + "\"leafHash\":\"3qv2mK3a4Y9CZb1pN0cVQm5Hq2n9rYt6ZbXf8sS1kz0=\",\"rootHash\":\"mZDLlXh0CmgdIKBpsDJhFP5JQqN9Ah1sFmA2pqXdWe0=\","
                            + "\"auditPath\":[\"q1x6sV9…\",\"Yb3m0Pp…\"]}")))
    @APIResponse(responseCode = "400", ref = "#/components/responses/validation")
    public AuditLogViews.InclusionProof inclusion(
            @Parameter(description = "Sequence number of the record", example = "42", required = true) @PathParam("sequence") String sequence,
            @Parameter(description = "Size of the tree to prove against (a signed checkpoint's); default the latest checkpoint's", example = "1520")
            @QueryParam("treeSize") String treeSize) {
        return proofs.inclusion(wholeNumber("sequence", sequence, 0),
                treeSize == null || treeSize.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(wholeNumber("treeSize", treeSize, 0)));
    }

    @GET
    @Path("consistency")
    @RolesAllowed(Roles.COMPLIANCE_OFFICER)
    @SecurityRequirement(name = "jwt", scopes = Roles.COMPLIANCE_OFFICER)
    @Operation(operationId = "getAuditConsistencyProof", summary = "Proof that an earlier audit log is a prefix of a later one",
            description = "The RFC 9162 consistency proof between the trees of from and to leaves: with the root hashes of two signed "
                    + "checkpoints, it shows that nothing the earlier one covered was changed, removed or reordered since.")
    @APIResponse(responseCode = "200", description = "The proof",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AuditLogViews.ConsistencyProof.class),
                    examples = @ExampleObject(name = "proof", value = "{\"fromSize\":1000,\"toSize\":1520,"
                            + "\"fromRootHash\":\"Hq2n9rYt6ZbXf8sS1kz03qv2mK3a4Y9CZb1pN0cVQm4=\",\"toRootHash\":\"mZDLlXh0CmgdIKBpsDJhFP5JQqN9Ah1sFmA2pqXdWe0=\","
                            + "\"proof\":[\"q1x6sV9…\",\"Yb3m0Pp…\"]}")))
    @APIResponse(responseCode = "400", ref = "#/components/responses/validation")
    public AuditLogViews.ConsistencyProof consistency(
            @Parameter(description = "Size of the earlier tree", example = "1000", required = true) @QueryParam("from") String from,
            @Parameter(description = "Size of the later tree", example = "1520", required = true) @QueryParam("to") String to) {
        if (from == null || from.isBlank() || to == null || to.isBlank()) {
            throw ProblemException.invalid("from and to are required: the sizes of the two trees");
        }
        return proofs.consistency(wholeNumber("from", from, 0), wholeNumber("to", to, 0));
    }

    private static long wholeNumber(String name, String value, long absent) {
        if (value == null || value.isBlank()) {
            return absent;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw ProblemException.invalid(name + " must be a whole number");
        }
    }

    @POST
    @Path("verifications")
    @RolesAllowed(Roles.COMPLIANCE_OFFICER)
    @SecurityRequirement(name = "jwt", scopes = Roles.COMPLIANCE_OFFICER)
    @Transactional
    @Operation(operationId = "verifyAuditTrail", summary = "Verify the audit log",
            description = "Recomputes every record's hash and link up to the current head, and the Merkle tree from the records "
                    + "against every signed checkpoint (signatures checked), and reports the first record that does not hold: an "
                    + "administrator who rewrote records and recomputed every hash and the stored tree is still found, because the "
                    + "checkpoints signed before cannot be signed again. The verification itself is recorded in the trail "
                    + "(AUDIT_CHAIN_VERIFIED).")
    @APIResponse(responseCode = "200", description = "The outcome; intact is false when a record was changed, removed or reordered",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ChainVerification.class),
                    examples = {
                            @ExampleObject(name = "intact", value = VERIFIED_EXAMPLE),
                            @ExampleObject(name = "broken", value = BROKEN_EXAMPLE)}))
    public ChainVerification verify() {
        return desk.verified(Optional.empty(), Actor.of(security.getUserPrincipal()));
    }

    @POST
    @Path("verifications/checkpoint")
    @Consumes(MediaType.TEXT_PLAIN)
    @RolesAllowed(Roles.COMPLIANCE_OFFICER)
    @SecurityRequirement(name = "jwt", scopes = Roles.COMPLIANCE_OFFICER)
    @Transactional
    @Operation(operationId = "verifyAuditTrailAgainstCheckpoint", summary = "Verify the audit log against a checkpoint you kept",
            description = "As POST /audit/verifications, and also against the given signed checkpoint, for instance a copy from a "
                    + "witness outside this database: the records it covers must still hash to its root. Audited (AUDIT_CHAIN_VERIFIED, "
                    + "with the checkpoint's tree size).")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.TEXT_PLAIN, schema = @Schema(type = SchemaType.STRING),
            examples = @ExampleObject(name = "checkpoint", value = CHECKPOINT_EXAMPLE)))
    @APIResponse(responseCode = "200", description = "The outcome; intact is false when a record was changed, removed or reordered",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ChainVerification.class),
                    examples = {
                            @ExampleObject(name = "intact", value = VERIFIED_EXAMPLE),
                            @ExampleObject(name = "broken", value = BROKEN_EXAMPLE)}))
    @APIResponse(responseCode = "503", ref = "#/components/responses/unavailable")
    public ChainVerification verifyAgainst(String note) {
        NoteKey key = logKey.signer().orElseThrow(() -> new ProblemException(ProblemType.UNAVAILABLE,
                "This deployment has no audit signing key (AUDIT_SIGNING_KEY_FILE), so it cannot tell its own checkpoints from others."));
        String normalised = note == null ? "" : note.replace("\r\n", "\n");
        Checkpoint checkpoint = key.open(normalised).map(text -> {
            try {
                return Checkpoint.parse(text);
            } catch (IllegalArgumentException e) {
                throw ProblemException.invalid("The signed note is not a checkpoint: " + e.getMessage());
            }
        }).filter(c -> c.origin().equals(key.name())).orElseThrow(() -> ProblemException.invalid(
                "The checkpoint is not signed by this audit log's key (" + key.verifierKey() + "), so it proves nothing about this log. "
                        + "Send the signed note exactly as it was published: its text, a blank line and the signature line."));
        return desk.verified(Optional.of(checkpoint), Actor.of(security.getUserPrincipal()));
    }
}
