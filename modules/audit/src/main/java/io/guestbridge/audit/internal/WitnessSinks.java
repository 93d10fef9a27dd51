package io.guestbridge.audit.internal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Copies of the signed checkpoints outside the database, where someone who can rewrite the database
 * cannot reach them. The directory sink ({@code AUDIT_WITNESS_DIR}, for instance a mount of another
 * machine or a write-once bucket) keeps every checkpoint as {@code checkpoint-<tree size>} and the latest
 * as {@code checkpoint}, each written whole (temporary file, then an atomic rename).
 */
@ApplicationScoped
public class WitnessSinks {

    private static final Logger LOG = Logger.getLogger(WitnessSinks.class.getName());

    @Inject
    Config config;

    void publish(String note) {
        Optional<String> dir = config.getOptionalValue("audit.witness-dir", String.class);
        if (dir.isEmpty()) {
            return;
        }
        long size = Checkpoint.parse(note.substring(0, note.indexOf("\n\n") + 1)).size();
        try {
            Path directory = Files.createDirectories(Path.of(dir.get()));
            write(directory, "checkpoint-" + size, note);
            write(directory, "checkpoint", note);
        } catch (IOException | RuntimeException e) {
            // the checkpoint stays in the database's history; the next one carries the tree further
            LOG.warning(() -> "the audit checkpoint of tree size " + size + " could not be written to the witness directory: " + e);
        }
    }

    private static void write(Path directory, String name, String note) throws IOException {
        Path temporary = Files.createTempFile(directory, "." + name, ".tmp");
        Files.writeString(temporary, note, StandardCharsets.UTF_8);
        Files.move(temporary, directory.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
