package io.guestbridge.consent.internal;

import io.guestbridge.consent.api.Wordings;
import io.guestbridge.consent.api.Wordings.Wording;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rules a wording keeps itself: what a publication must hold, and that a published version never changes. */
class ConsentWordingTest {

    private static final Instant AT = Instant.parse("2026-11-01T09:00:00Z");
    private static final String TEXT = "Yes, send me offers and news by email. You can unsubscribe at any time.";

    private static Wording draft(String id, String version, String purpose, String language, String text) {
        return new Wording(id, version, purpose, language, text, "ignored", Instant.EPOCH);
    }

    @Test
    void aPublicationFixesTheHashOfItsTextAndItsTime() {
        Wording published = ConsentWording.publish(draft("portal-marketing", "4", "marketing_email", "en-GB", TEXT), AT).view();
        assertEquals(new Wording("portal-marketing", "4", "marketing_email", "en-GB", TEXT, ConsentWording.hash(TEXT), AT), published);
        assertTrue(published.contentHash().matches("[0-9a-f]{64}"), published.contentHash());
    }

    @Test
    void theSameTextPublishedAgainIsTheSameVersion_anotherTextPurposeOrLanguageIsRefused() {
        ConsentWording published = ConsentWording.publish(draft("portal-marketing", "4", "marketing_email", "en", TEXT), AT);
        assertEquals(published.view(), published.republish(draft("portal-marketing", "4", "marketing_email", "en", TEXT)));
        for (Wording changed : new Wording[] {
                draft("portal-marketing", "4", "marketing_email", "en", TEXT + " "),
                draft("portal-marketing", "4", "marketing_sms", "en", TEXT),
                draft("portal-marketing", "4", "marketing_email", "fr", TEXT)}) {
            Wordings.Immutable refused = assertThrows(Wordings.Immutable.class, () -> published.republish(changed));
            assertTrue(refused.getMessage().contains("publish the change as a new version"), refused.getMessage());
        }
    }

    @Test
    void aDraftWithoutEveryPartOrOutOfFormIsRefusedWithWhatToSend() {
        assertRefused(null, "Send id, version, purpose, language and text");
        assertRefused(draft("portal", "1", "terms", "en", " "), "Send id, version, purpose, language and text");
        assertRefused(draft("portal terms", "1", "terms", "en", TEXT), "id is 1–64 of");
        assertRefused(draft("portal", "1/2", "terms", "en", TEXT), "id is 1–64 of");
        assertRefused(draft("x".repeat(65), "1", "terms", "en", TEXT), "id is 1–64 of");
        assertRefused(draft("portal", "1", "terms", "english!", TEXT), "language must be a BCP 47 tag");
        assertRefused(draft("portal", "1", "terms", "en", "x".repeat(20_001)), "the text at most 20,000 characters");
        assertRefused(draft("portal", "1", "newsletter", "en", TEXT), "purpose must be");
        ConsentWording.publish(draft("portal:lobby_2.b", "v1.0-b", "sponsor:acme", "pt-BR", "x".repeat(20_000)), AT);
    }

    private static void assertRefused(Wording draft, String because) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> ConsentWording.publish(draft, AT));
        assertTrue(refused.getMessage().contains(because), refused.getMessage());
    }
}
