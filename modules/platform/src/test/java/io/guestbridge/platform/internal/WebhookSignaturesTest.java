package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.ProblemException;
import io.guestbridge.platform.api.ProblemType;
import io.guestbridge.platform.api.SecretBox;
import io.guestbridge.platform.api.WebhookSignatures;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebhookSignaturesTest {

    // the example of the Standard Webhooks specification
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long TIMESTAMP = 1614265330L;
    private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    private static final Instant THEN = Instant.ofEpochSecond(TIMESTAMP + 10);

    @Test
    void matchesTheSpecificationsExample() {
        assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", WebhookSignatures.sign(SECRET, ID, TIMESTAMP, BODY));
    }

    @Test
    void acceptsAnyOfSeveralSignaturesAndSecrets() {
        String other = WebhookSignatures.newSecret();
        String header = "v1,bm90IHRoaXMgb25l " + WebhookSignatures.sign(SECRET, ID, TIMESTAMP, BODY);
        assertEquals(1, WebhookSignatures.verify(List.of(other, SECRET), ID, Long.toString(TIMESTAMP), header, BODY, THEN));
    }

    @Test
    void refusesChangedBodiesWrongSecretsOldTimestampsAndMissingHeaders() {
        String good = WebhookSignatures.sign(SECRET, ID, TIMESTAMP, BODY);
        byte[] changed = "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8);
        assertUnauthenticated(() -> WebhookSignatures.verify(List.of(SECRET), ID, Long.toString(TIMESTAMP), good, changed, THEN));
        assertUnauthenticated(() -> WebhookSignatures.verify(List.of(WebhookSignatures.newSecret()), ID, Long.toString(TIMESTAMP), good, BODY, THEN));
        assertUnauthenticated(() -> WebhookSignatures.verify(List.of(SECRET), "msg_other", Long.toString(TIMESTAMP), good, BODY, THEN));
        assertUnauthenticated(() -> WebhookSignatures.verify(List.of(SECRET), ID, Long.toString(TIMESTAMP), good, BODY,
                Instant.ofEpochSecond(TIMESTAMP).plusSeconds(301)));
        assertUnauthenticated(() -> WebhookSignatures.verify(List.of(SECRET), ID, Long.toString(TIMESTAMP), good, BODY,
                Instant.ofEpochSecond(TIMESTAMP).minusSeconds(301)));
        assertUnauthenticated(() -> WebhookSignatures.verify(List.of(SECRET), ID, null, good, BODY, THEN));
        assertUnauthenticated(() -> WebhookSignatures.verify(List.of(SECRET), ID, "yesterday", good, BODY, THEN));
        assertUnauthenticated(() -> WebhookSignatures.verify(List.of(SECRET), ID, Long.toString(TIMESTAMP), "v2," + good.substring(3), BODY, THEN));
        assertUnauthenticated(() -> WebhookSignatures.verify(List.of(SECRET), ID, Long.toString(TIMESTAMP), "v1,%%%", BODY, THEN));
    }

    @Test
    void secretBoxOpensOnlyWithTheSameKeyAndOwner() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        SecretBox box = SecretBox.withKey(Base64.getEncoder().encodeToString(key));
        String sealed = box.seal("whsec_abc".getBytes(StandardCharsets.UTF_8), "source-1");
        assertTrue(sealed.startsWith("v1."));
        assertArrayEquals("whsec_abc".getBytes(StandardCharsets.UTF_8), box.open(sealed, "source-1"));
        assertThrows(IllegalStateException.class, () -> box.open(sealed, "source-2"), "moved to another owner");
        byte[] otherKey = key.clone();
        otherKey[0] ^= 1;
        assertThrows(IllegalStateException.class, () -> SecretBox.withKey(Base64.getEncoder().encodeToString(otherKey)).open(sealed, "source-1"));
        assertThrows(IllegalArgumentException.class, () -> SecretBox.withKey(Base64.getEncoder().encodeToString(new byte[16])));
    }

    private static void assertUnauthenticated(Runnable call) {
        ProblemException e = assertThrows(ProblemException.class, call::run);
        assertEquals(ProblemType.UNAUTHENTICATED, e.type());
    }
}
