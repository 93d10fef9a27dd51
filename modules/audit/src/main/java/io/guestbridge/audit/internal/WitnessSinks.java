package io.guestbridge.audit.internal;

import io.guestbridge.tlog.Checkpoint;
import io.guestbridge.platform.api.OutboundTargets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Copies of the signed checkpoints outside the database, where someone who can rewrite the database
 * cannot reach them. Two sinks, each optional:
 * <ul>
 *   <li>a directory ({@code AUDIT_WITNESS_DIR}, for instance a mount of another machine or a write-once
 *       bucket) keeps every checkpoint as {@code checkpoint-<tree size>} and the latest as
 *       {@code checkpoint}, each written whole (temporary file, then an atomic rename);</li>
 *   <li>an HTTPS URL ({@code AUDIT_WITNESS_URL}, with {@code AUDIT_WITNESS_TOKEN} as a bearer token when
 *       set) receives each checkpoint as a {@code text/plain} POST; the outbound policy applies to it as to
 *       every other outbound call.</li>
 * </ul>
 * A copy that cannot be delivered is logged and not retried: the checkpoint stays in the database's
 * history, and the next one, consistent with it, carries the tree further.
 */
@ApplicationScoped
public class WitnessSinks {

    private static final Logger LOG = Logger.getLogger(WitnessSinks.class.getName());
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    @Inject
    Config config;

    void publish(String note) {
        long size = Checkpoint.parse(note.substring(0, note.indexOf("\n\n") + 1)).size();
        config.getOptionalValue("audit.witness-dir", String.class).ifPresent(dir -> {
            try {
                writeTo(Path.of(dir), size, note);
            } catch (IOException | RuntimeException e) {
                LOG.warning(() -> "the audit checkpoint of tree size " + size + " could not be written to the witness directory: " + e);
            }
        });
        config.getOptionalValue("audit.witness-url", String.class).ifPresent(url -> {
            try {
                OutboundTargets targets = OutboundTargets.from(config);
                URI target = targets.require(URI.create(url), "AUDIT_WITNESS_URL");
                postTo(targets.guard(HTTP), target, config.getOptionalValue("audit.witness-token", String.class), note);
            } catch (IOException | RuntimeException e) {
                LOG.warning(() -> "the audit checkpoint of tree size " + size + " could not be sent to the witness URL: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    static void writeTo(Path dir, long size, String note) throws IOException {
        Path directory = Files.createDirectories(dir);
        write(directory, "checkpoint-" + size, note);
        write(directory, "checkpoint", note);
    }

    /** POSTs the note; anything but a 2xx answer is a failure. */
    static void postTo(HttpClient client, URI target, Optional<String> token, String note) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(note, StandardCharsets.UTF_8));
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        HttpResponse<Void> response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("the witness answered HTTP " + response.statusCode());
        }
    }

    private static void write(Path directory, String name, String note) throws IOException {
        Path temporary = Files.createTempFile(directory, "." + name, ".tmp");
        Files.writeString(temporary, note, StandardCharsets.UTF_8);
        Files.move(temporary, directory.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
