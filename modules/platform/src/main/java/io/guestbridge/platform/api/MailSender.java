package io.guestbridge.platform.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The deployment's one way to send mail (SMTP, Jakarta Mail): the privacy module's codes and notices, the WiFi
 * credentials of guests. Configured by {@code privacy.mail.smtp-host}, {@code smtp-port}, {@code from},
 * {@code username}, {@code password} (a secret file), {@code starttls}; without a host, mail is off and callers say
 * so where they record what happened. Sending is slow and may fail: callers run on the {@link WorkQueue}, so a
 * failed send is retried there with its backoff, and dies into a replayable dead letter after the last attempt.
 */
public interface MailSender {

    /** Whether an SMTP relay is configured. */
    boolean enabled();

    /** Sends one mail; a refusal or an unreachable relay is an exception the caller turns into a retry. */
    void send(OutgoingMail mail) throws jakarta.mail.MessagingException;

    /**
     * Sends several mails over one connection to the relay, in order: what became of each, by its place in
     * {@code mails} (empty: sent; otherwise the exception that kept it back, which the caller turns into a retry of that
     * mail alone). A relay that cannot be reached fails the mails not yet sent; once {@link #BATCH_TIME} has passed, no
     * further mail is started and the rest fail as not attempted, so a batch ends within its work items' lease.
     */
    List<Optional<jakarta.mail.MessagingException>> sendAll(List<OutgoingMail> mails);

    /** How long {@link #sendAll} starts new mails: well inside a work item's lease (2 minutes by default). */
    java.time.Duration BATCH_TIME = java.time.Duration.ofSeconds(45);

    /**
     * One mail. {@code html} and {@code images} are optional: with them, the mail is the plain text and an HTML
     * alternative whose images travel inline (referenced as {@code cid:<contentId>}), for readers that show HTML.
     *
     * @param from null for the configured sender
     */
    record OutgoingMail(String from, String to, String subject, String text, String html, List<InlineImage> images) {

        public OutgoingMail {
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(text, "text");
            images = images == null ? List.of() : List.copyOf(images);
            if (html == null && !images.isEmpty()) {
                throw new IllegalArgumentException("inline images belong to an HTML part");
            }
        }

        /** A plain-text mail from the configured sender. */
        public static OutgoingMail text(String to, String subject, String text) {
            return new OutgoingMail(null, to, subject, text, null, List.of());
        }

        public Optional<String> sender() {
            return Optional.ofNullable(from);
        }

        @Override
        public String toString() {
            return "OutgoingMail[" + images.size() + " inline image(s), recipient and content redacted]";
        }
    }

    /** An image shown inside the HTML part, e.g. a QR code. */
    record InlineImage(String contentId, String mediaType, byte[] bytes) {

        public InlineImage {
            if (contentId == null || !contentId.matches("[A-Za-z0-9.\\-]{1,64}")) {
                throw new IllegalArgumentException("a content id is 1 to 64 letters, digits, dots or hyphens");
            }
            Objects.requireNonNull(mediaType, "mediaType");
            Objects.requireNonNull(bytes, "bytes");
        }
    }
}
