package io.guestbridge.audit.api;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hand-written check of a subject reference accepts exactly what its pattern describes. */
class SubjectRefCheckTest {

    private static final Pattern SUBJECT = Pattern.compile("[a-z][a-z-]{0,15}:[A-Za-z0-9._:-]{1,63}");

    @Test
    void referencesInUseAndTheirNearMissesAreJudgedAsThePatternJudgesThem() {
        List<String> samples = List.of("guest:3f1c2a9e-5b7d-4e21-9c0a-7d6e5f4a3b21", "request:PR-2026-000123", "sponsor:acme.co_uk",
                "a:b", "abcdefghijklmnop:x", "abcdefghijklmnopq:x", "guest:", ":guest", "Guest:1", "1guest:1", "-guest:1", "gu-est:1",
                "guest:a b", "guest:é", "guest:" + "x".repeat(63), "guest:" + "x".repeat(64), "guest::::", "guest:a:b:c", "guest-:1",
                "guest:alice@example.com", "guest:1\n", "", "g", "guest");
        for (String sample : samples) {
            assertEquals(SUBJECT.matcher(sample).matches(), AuditEvent.isSubjectRef(sample), sample);
        }
    }

    /** Random strings over the alphabet the pattern is about, and a few characters beyond it, of every length around its bounds. */
    @Test
    void randomTextIsJudgedAsThePatternJudgesIt() {
        String alphabet = "abcxyzAZ09._:-@ é/";
        Random random = new Random(20261205);
        int accepted = 0;
        for (int n = 0; n < 200_000; n++) {
            int length = random.nextInt(84);
            StringBuilder text = new StringBuilder();
            // most texts start as a reference does, so that both answers occur often
            if (random.nextInt(4) > 0) {
                text.append("guest-x".substring(0, 1 + random.nextInt(7))).append(':');
            }
            while (text.length() < length) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String sample = text.toString();
            boolean expected = SUBJECT.matcher(sample).matches();
            assertEquals(expected, AuditEvent.isSubjectRef(sample), sample);
            accepted += expected ? 1 : 0;
        }
        assertTrue(accepted > 1_000 && accepted < 199_000, "both answers were tried: " + accepted + " accepted");
    }

    @Test
    void anEventWithAnythingElseAsItsSubjectIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> AuditEvent.of("crmsync", "CRM_CONTACT_SYNCED").by("system:crmsync")
                .about("alice@example.com").build());
        assertFalse(AuditEvent.isSubjectRef("guest:alice@example.com"));
    }
}
