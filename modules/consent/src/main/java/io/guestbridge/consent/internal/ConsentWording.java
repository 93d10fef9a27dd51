package io.guestbridge.consent.internal;

import io.guestbridge.consent.api.ConsentRecord;
import io.guestbridge.consent.api.Wordings;
import io.guestbridge.consent.api.Wordings.Wording;
import io.guestbridge.platform.api.Digests;
import io.guestbridge.platform.api.InstantConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One version of a consent wording: the exact text a portal, booking engine or form shows for one purpose, in one
 * language. Art. 7(1) GDPR asks us to show what a person agreed to, so a version is published once and never changes
 * (a database trigger refuses any UPDATE; every column is mapped not updatable): a changed text, purpose or language
 * is a new version, and publishing the same text again under the same id and version is harmless.
 * {@link #publish} checks a draft and fixes its content hash; {@link #republish} decides whether a second publication
 * of a used id and version is the same one; {@link #view()} is what the rest of the system sees.
 */
@Entity
@Table(name = "cns_wording")
@IdClass(ConsentWording.Key.class)
@NamedQuery(name = "ConsentWording.all", query = "SELECT w FROM ConsentWording w ORDER BY w.id, w.createdAt")
public class ConsentWording {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9._-]{1,16}");
    private static final Pattern LANGUAGE = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*");
    static final int MAX_TEXT = 20_000;

    @Id
    @Column(updatable = false)
    private String id;

    @Id
    @Column(updatable = false)
    private String version;

    @Column(nullable = false, updatable = false)
    private String purpose;

    @Column(nullable = false, updatable = false)
    private String language;

    @Column(nullable = false, updatable = false)
    private String text;

    @Column(name = "content_hash", nullable = false, updatable = false)
    private String contentHash;

    @Column(name = "created_at", nullable = false, updatable = false)
    @Convert(converter = InstantConverter.class)
    private Instant createdAt;

    protected ConsentWording() {
        // for JPA
    }

    private ConsentWording(Wording draft, Instant at) {
        this.id = draft.id();
        this.version = draft.version();
        this.purpose = draft.purpose();
        this.language = draft.language();
        this.text = draft.text();
        this.contentHash = hash(draft.text());
        this.createdAt = at;
    }

    /**
     * A new version from a draft (its hash and time are ignored), published at {@code at}. Refuses, with a reason a
     * person can act on ({@link IllegalArgumentException}), a draft without every part, an id or version outside
     * their alphabets, a language that is not a BCP 47 tag, a text over 20,000 characters, an unknown purpose.
     */
    static ConsentWording publish(Wording draft, Instant at) {
        check(draft);
        return new ConsentWording(draft, at);
    }

    /** The checks of {@link #publish}, for a draft that may turn out to be published already. */
    static void check(Wording draft) {
        if (draft == null || blank(draft.id()) || blank(draft.version()) || blank(draft.purpose()) || blank(draft.language())
                || blank(draft.text())) {
            throw new IllegalArgumentException("Send id, version, purpose, language and text");
        }
        if (!ID.matcher(draft.id()).matches() || !VERSION.matcher(draft.version()).matches()) {
            throw new IllegalArgumentException("id is 1–64 of A-Z a-z 0-9 . _ : - and version 1–16 of A-Z a-z 0-9 . _ -");
        }
        if (!LANGUAGE.matcher(draft.language()).matches() || draft.text().length() > MAX_TEXT) {
            throw new IllegalArgumentException("language must be a BCP 47 tag such as en or en-GB, and the text at most 20,000 characters");
        }
        if (!ConsentRecord.isPurpose(draft.purpose())) {
            throw new IllegalArgumentException("purpose must be marketing_email, marketing_sms, analytics, profiling, terms or sponsor:<id>");
        }
    }

    /**
     * A draft published again under this id and version: the same text, purpose and language is this version
     * (returned as it is); anything else is refused, since a published version never changes.
     */
    Wording republish(Wording draft) {
        if (hash(draft.text()).equals(contentHash) && draft.purpose().equals(purpose) && draft.language().equals(language)) {
            return view();
        }
        throw new Wordings.Immutable("wording " + id + " version " + version
                + " is published with another text, purpose or language; publish the change as a new version");
    }

    /** The wording as the rest of the system sees it. */
    Wording view() {
        return new Wording(id, version, purpose, language, text, contentHash, createdAt);
    }

    /** SHA-256 of the text (UTF-8), hex: the hash a decision's evidence can be checked against. */
    static String hash(String text) {
        return Digests.sha256Hex(text);
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    /** The primary key: id and version. */
    public static final class Key implements Serializable {

        private String id;
        private String version;

        public Key() {
            // for JPA
        }

        Key(String id, String version) {
            this.id = id;
            this.version = version;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key k && Objects.equals(id, k.id) && Objects.equals(version, k.version);
        }

        @Override
        public int hashCode() {
            return Objects.hash(id, version);
        }
    }
}
