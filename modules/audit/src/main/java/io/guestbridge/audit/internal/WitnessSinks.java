package io.guestbridge.audit.internal;

import io.guestbridge.tlog.Checkpoint;
import io.guestbridge.platform.api.OutboundTargets;
import io.guestbridge.platform.api.MailSender;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
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
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * Copies of the signed checkpoints outside the database, where someone who can rewrite the database
 * cannot reach them. Three sinks, each optional:
 * <ul>
 *   <li>a directory ({@code AUDIT_WITNESS_DIR}, for instance a mount of another machine or a write-once
 *       bucket) keeps every checkpoint as {@code checkpoint-<tree size>} and the latest as
 *       {@code checkpoint}, each written whole (temporary file, then an atomic rename);</li>
 *   <li>an HTTPS URL ({@code AUDIT_WITNESS_URL}, with {@code AUDIT_WITNESS_TOKEN} as a bearer token when
 *       set) receives each checkpoint as a {@code text/plain} POST; the outbound policy applies to it as to
 *       every other outbound call;</li>
 *   <li>a mail address ({@code AUDIT_WITNESS_MAIL}, typically the DPO's) receives the latest checkpoint at most once
 *       per {@code AUDIT_WITNESS_MAIL_INTERVAL_MINUTES} (a day by default; checkpoints are signed up to every second,
 *       and a mailbox wants a daily copy, not thousands) and at the first checkpoint after a start, sent off the
 *       sequencer's thread. A mail that fails leaves the interval open, so the next checkpoint is mailed instead.</li>
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

    @Inject
    MailSender mail;

    @Resource
    ManagedExecutorService executor;

    /** When the last checkpoint was mailed by this instance; null: none yet since the start. */
    private final AtomicReference<Instant> lastMailed = new AtomicReference<>();
    private final AtomicBoolean mailing = new AtomicBoolean();

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
        config.getOptionalValue("audit.witness-mail", String.class).filter(a -> !a.isBlank()).ifPresent(address -> {
            Duration interval = Duration.ofMinutes(config.getOptionalValue("audit.witness-mail-interval-minutes", Long.class).orElse(1440L));
            Instant now = Instant.now();
            if (mailDue(lastMailed.get(), interval, now) && mailing.compareAndSet(false, true)) {
                try {
                    executor.execute(() -> mailTo(address, size, note, now));
                } catch (RuntimeException e) {
                    mailing.set(false);
                    LOG.warning(() -> "the audit checkpoint of tree size " + size + " could not be queued for the witness mail: " + e.getClass().getName());
                }
            }
        });
    }

    /** Whether a checkpoint is to be mailed now: the first after a start, then one per interval. */
    static boolean mailDue(Instant lastMailed, Duration interval, Instant now) {
        return lastMailed == null || !now.isBefore(lastMailed.plus(interval));
    }

    private void mailTo(String address, long size, String note, Instant signedAt) {
        try {
            if (!mail.enabled()) {
                LOG.warning("AUDIT_WITNESS_MAIL is set but no SMTP relay is configured (PRIVACY_MAIL_SMTP_HOST): the checkpoint is not mailed");
                return;
            }
            mail.send(MailSender.OutgoingMail.text(address, "guestbridge audit log checkpoint, tree size " + size, witnessMail(note)));
            lastMailed.set(signedAt);
        } catch (Exception e) {
            LOG.warning(() -> "the audit checkpoint of tree size " + size + " could not be mailed to the witness address: " + e.getClass().getName());
        } finally {
            mailing.set(false);
        }
    }

    /** The mail's text: what the checkpoint is and how to use it, then the signed note exactly as signed, between markers. */
    static String witnessMail(String note) {
        return "This is a signed checkpoint of guestbridge's audit log: the number of records it held and the Merkle root\n"
                + "hash of them, signed with the audit log's key. Keep this mail where the database's administrators cannot\n"
                + "change it. Later, POST the note below to /api/v1/audit/verifications/checkpoint (role compliance-officer),\n"
                + "or give it with an export of the records to the launcher's verify-audit --checkpoint: if the log\n"
                + "was rewritten since, the check fails.\n\n"
                + BEGIN + "\n" + note + (note.endsWith("\n") ? "" : "\n") + END + "\n";
    }

    static final String BEGIN = "-----BEGIN AUDIT CHECKPOINT-----";
    static final String END = "-----END AUDIT CHECKPOINT-----";

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
