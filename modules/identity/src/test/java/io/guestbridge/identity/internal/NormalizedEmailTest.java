package io.guestbridge.identity.internal;

import io.guestbridge.identity.api.NormalizedEmail;
import io.guestbridge.identity.api.PhoneNumber;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NormalizedEmailTest {

    @Test
    void normalisesCaseWhiteSpaceAndInternationalDomains() {
        assertEquals("jane.smith+wifi@example.co.uk", NormalizedEmail.parse("  Jane.Smith+WiFi@Example.CO.UK ").value());
        assertEquals("anna@xn--mnchen-3ya.de", NormalizedEmail.parse("Anna@münchen.de").value());
        assertEquals("webhook@test.com", NormalizedEmail.parse("webhook@test.com").value());
    }

    @Test
    void refusesWhatIsNotOneDeliverableAddress() {
        for (String bad : new String[]{"", "   ", "jane", "jane@", "@example.com", "jane@localhost", "jane@[192.168.0.1]",
                "Jane <jane@example.com>", "jane@example.com, joe@example.com", "jane smith@example.com", "jane@@example.com",
                "jane@exa mple.com", "x'); DROP TABLE idn_guest;--@example.com", "a".repeat(250) + "@example.com"}) {
            NormalizedEmail.InvalidEmail e = assertThrows(NormalizedEmail.InvalidEmail.class, () -> NormalizedEmail.parse(bad), bad);
            assertFalse(!bad.isBlank() && e.getMessage().contains(bad.strip()), "the reason does not echo the address");
        }
    }

    @Test
    void phonesBecomeE164() {
        assertEquals("+447911123456", PhoneNumber.parse("+44 7911 123456", null).e164());
        assertEquals("+447911123456", PhoneNumber.parse("07911 123456", "GB").e164());
        assertThrows(IllegalArgumentException.class, () -> PhoneNumber.parse("07911 123456", null));
        assertThrows(IllegalArgumentException.class, () -> PhoneNumber.parse("12", "GB"));
    }
}
