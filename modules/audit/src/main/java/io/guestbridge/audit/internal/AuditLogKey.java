package io.guestbridge.audit.internal;

import io.guestbridge.tlog.NoteKey;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The key that signs the audit log's checkpoints, from configuration only: {@code AUDIT_SIGNING_KEY_FILE}
 * naming a file only the service can read (a mounted secret), or {@code AUDIT_SIGNING_KEY} (for instance
 * a file of the secrets directory), holding a signed-note private key
 * ({@code PRIVATE+KEY+<name>+<id>+<key>}, Ed25519). Its name is the log's origin. Without a key the
 * log is still numbered and hashed, but nothing is signed and the checkpoint endpoint says why.
 */
@ApplicationScoped
public class AuditLogKey {

    private volatile Optional<NoteKey> signer;

    Optional<NoteKey> signer() {
        Optional<NoteKey> known = signer;
        if (known == null) {
            known = load(ConfigProvider.getConfig());
            signer = known;
        }
        return known;
    }

    private static Optional<NoteKey> load(Config config) {
        Optional<String> file = config.getOptionalValue("audit.signing-key-file", String.class);
        if (file.isPresent()) {
            try {
                return Optional.of(NoteKey.signer(Files.readString(Path.of(file.get()))));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the audit signing key file named by AUDIT_SIGNING_KEY_FILE", e);
            }
        }
        return config.getOptionalValue("audit.signing-key", String.class).map(NoteKey::signer);
    }
}
