package io.guestbridge.consent.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The registry of consent wordings: the exact text a guest was shown, per id and version, with its
 * language and content hash. A published version never changes (a database trigger refuses updates);
 * a changed text is a new version. A grant can only be recorded against a registered wording, so the
 * ledger can always answer "what text did they agree to".
 */
public interface Wordings {

    /**
     * Publishes a wording. Publishing the same text again under the same id and version is a no-op;
     * a different text under a used id and version is refused ({@link Immutable}). A draft without every
     * part, with an id, version or language out of form, a text over 20,000 characters or an unknown purpose
     * is refused with an {@link IllegalArgumentException} that says what to send.
     */
    Wording publish(Wording wording, String actor);

    Optional<Wording> find(String id, String version);

    List<Wording> all();

    /** A wording as registered; {@code contentHash} is SHA-256 of the text (UTF-8), hex. */
    @Schema(requiredProperties = {"id", "version", "purpose", "language", "text", "contentHash", "publishedAt"})
    record Wording(String id, String version, String purpose, String language, String text, String contentHash, Instant publishedAt) {
    }

    /** A different text under an id and version already published. */
    final class Immutable extends RuntimeException {
        public Immutable(String message) {
            super(message);
        }
    }
}
