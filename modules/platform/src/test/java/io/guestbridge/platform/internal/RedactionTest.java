package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.Redaction;
import org.junit.jupiter.api.Test;

import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RedactionTest {

    @Test
    void removesEmailsPhonesMacsAndTokens() {
        String line = "login of jane.smith+wifi@example.co.uk from 00-01-02-03-04-05 (aa:bb:cc:dd:ee:ff), "
                + "phone +44 7700 900000 or 07700 900123, Authorization: Bearer abc.def-ghi, "
                + "token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl, query email=jane%40example.com";
        String redacted = Redaction.redact(line);
        for (String secret : new String[]{"jane.smith", "example.co.uk", "00-01-02-03-04-05", "aa:bb:cc:dd:ee:ff",
                "7700 900000", "07700 900123", "abc.def-ghi", "eyJhbGci", "jane%40example.com"}) {
            assertFalse(redacted.contains(secret), secret + " survived in: " + redacted);
        }
        assertTrue(redacted.contains("<email>") && redacted.contains("<mac>") && redacted.contains("<phone>"));
    }

    @Test
    void uuidsWithDigitOnlyGroupsAreIdsNotPhoneNumbers() {
        for (String id : new String[]{"01234567-1234-4567-8901-234567890abc", "5d1e0c7a-0012-3456-9a43-1f0e2d9b7c11", "a1b2c3d4-0123-4567-0890-00123456789f",
                "privacy-request:01234567-1234-4567-8901-234567890abc"}) {
            assertFalse(Redaction.containsPersonalData(id), id);
        }
        assertTrue(Redaction.containsPersonalData("call 0044 20 7946 0958 now"));
        assertTrue(Redaction.containsPersonalData("tel:+44-20-7946-0958"));
        assertTrue(Redaction.containsPersonalData("ring 020 7946 0958."));
    }

    @Test
    void removesWebhookKeysFromPaths() {
        String redacted = Redaction.redact("POST /api/v1/ingest/purple/q3VhZ0Jk8xYb2Lm-Tn_Rp4sW9uXcA1dE6fG7hI0jK2l failed");
        assertFalse(redacted.contains("q3VhZ0Jk8x"), redacted);
        assertTrue(redacted.contains("/ingest/purple/<key>"), redacted);
    }

    @Test
    void removesNamesByTheirJsonKey() {
        String json = "{\"user\":{\"firstName\":\"Webhook\",\"lastName\":\"Test\",\" dateOfBirth\":\"1970-01-01\","
                + "\"full_name\":\"Jane Smith\",\"id\":888},\"venue\":{\"id\":888}}";
        String redacted = Redaction.redact(json);
        assertFalse(redacted.contains("Webhook"), redacted);
        assertFalse(redacted.contains("Jane Smith"), redacted);
        assertFalse(redacted.contains("1970-01-01"), redacted);
        assertTrue(redacted.contains("\"id\":888"), "non-personal values stay readable: " + redacted);
    }

    @Test
    void leavesOrdinaryDiagnosticsAlone() {
        String line = "claimed 25 items from queue crm-hubspot at 2026-11-25T13:27:08.123Z in 14 ms (batch 3 of 7), seq 1234567";
        assertEquals(line, Redaction.redact(line));
        assertFalse(Redaction.containsPersonalData(line));
        assertTrue(Redaction.containsPersonalData("guest webhook@test.com"));
    }

    @Test
    void logFilterRedactsMessageParametersAndExceptionChain() {
        LogRecord record = new LogRecord(Level.WARNING, "could not store {0}");
        record.setParameters(new Object[]{"jane@example.com", 42});
        record.setThrown(new IllegalStateException("wrapper",
                new RuntimeException("Duplicate entry 'jane@example.com' for key 'uq_email'")));
        new RedactingLogFilter(null).isLoggable(record);
        assertEquals("<email>", record.getParameters()[0]);
        assertEquals(42, record.getParameters()[1]);
        String causeMessage = record.getThrown().getCause().getMessage();
        assertFalse(causeMessage.contains("jane@example.com"), causeMessage);
        assertTrue(causeMessage.contains("Duplicate entry"));
        assertTrue(record.getThrown().getStackTrace().length > 0, "the stack trace is kept");
    }
}
