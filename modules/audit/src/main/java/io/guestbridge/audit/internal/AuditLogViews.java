package io.guestbridge.audit.internal;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/** The audit log's checkpoints and proofs as the compliance API shows them; hashes are base64, as in checkpoints. */
final class AuditLogViews {

    private AuditLogViews() {
    }

    @Schema(name = "AuditCheckpoint", requiredProperties = {"treeSize", "rootHash", "createdAt", "note"})
    public record CheckpointView(@Schema(type = SchemaType.INTEGER, format = "int64") long treeSize,
                                 @Schema(description = "RFC 9162 root hash of the first treeSize records, base64") String rootHash,
                                 Instant createdAt,
                                 @Schema(description = "The checkpoint as a C2SP signed note (tlog-checkpoint text, blank line, Ed25519 signature line)")
                                 String note) {
    }

    @Schema(name = "AuditCheckpointPage", requiredProperties = "checkpoints",
            description = "Signed checkpoints, smallest tree first; nextCursor is absent on the last page")
    public record CheckpointPage(@Schema(description = "The signed-note verifier key of the checkpoints (<name>+<key id>+<base64 key>); "
                                         + "compare it with the one you were given before trusting it; absent when nothing is signed")
                                 String verifierKey,
                                 List<CheckpointView> checkpoints,
                                 @Schema(type = SchemaType.INTEGER, format = "int64", description = "Pass as after= for the next page")
                                 Long nextCursor) {
    }

    @Schema(name = "AuditInclusionProof", requiredProperties = {"sequence", "leafIndex", "treeSize", "leafEntry", "leafHash", "rootHash", "auditPath"},
            description = "auditPath is the RFC 9162 section 2.1.3 inclusion path, from the leaf's sibling upwards, base64")
    public record InclusionProof(@Schema(type = SchemaType.INTEGER, format = "int64") long sequence,
                                 @Schema(type = SchemaType.INTEGER, format = "int64", description = "0-based leaf index: sequence - 1") long leafIndex,
                                 @Schema(type = SchemaType.INTEGER, format = "int64") long treeSize,
                                 @Schema(description = "The leaf's entry: the record's canonical JSON, whose UTF-8 bytes are hashed as SHA-256(0x00 || entry)")
                                 String leafEntry,
                                 String leafHash,
                                 @Schema(description = "Root of the tree of treeSize leaves; check it against a signed checkpoint of that size")
                                 String rootHash,
                                 List<String> auditPath) {
    }

    @Schema(name = "AuditConsistencyProof", requiredProperties = {"fromSize", "toSize", "fromRootHash", "toRootHash", "proof"},
            description = "proof is the RFC 9162 section 2.1.4 consistency proof, base64")
    public record ConsistencyProof(@Schema(type = SchemaType.INTEGER, format = "int64") long fromSize,
                                   @Schema(type = SchemaType.INTEGER, format = "int64") long toSize,
                                   String fromRootHash,
                                   String toRootHash,
                                   List<String> proof) {
    }
}
