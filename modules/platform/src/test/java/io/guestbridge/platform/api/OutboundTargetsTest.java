package io.guestbridge.platform.api;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutboundTargetsTest {

    private final OutboundTargets strict = new OutboundTargets(false, false);
    private final OutboundTargets loopbackAllowed = new OutboundTargets(true, false);
    private final OutboundTargets everythingAllowed = new OutboundTargets(true, true);

    @Test
    void metadataAndLinkLocalTargetsAreNeverAllowed() {
        for (String url : new String[] {"https://169.254.169.254/latest/meta-data/", "http://169.254.169.254/", "https://[fe80::1]/",
                "https://100.100.100.200/", "https://[fd00:ec2::254]/"}) {
            assertTrue(everythingAllowed.refusal(URI.create(url), "crm.x.base-url").isPresent(), url);
        }
    }

    @Test
    void loopbackAndPrivateTargetsNeedTheOperatorsWord() {
        for (String url : new String[] {"https://127.0.0.1:8080/", "https://localhost/", "https://[::1]/", "https://127.1.2.3/"}) {
            assertTrue(strict.refusal(URI.create(url), "s").orElseThrow().contains("outbound.allow-loopback"), url);
            assertFalse(loopbackAllowed.refusal(URI.create(url), "s").isPresent(), url);
        }
        for (String url : new String[] {"https://10.0.0.5/", "https://172.16.0.1/", "https://192.168.1.10/", "https://[fd12:3456::1]/",
                "https://100.64.0.1/"}) {
            assertTrue(loopbackAllowed.refusal(URI.create(url), "s").orElseThrow().contains("outbound.allow-private"), url);
            assertFalse(everythingAllowed.refusal(URI.create(url), "s").isPresent(), url);
        }
    }

    @Test
    void hostAddressesOnlyAndHttpsOnlyBeyondLoopback() {
        for (String url : new String[] {"https://0.0.0.0/", "https://[::]/", "https://224.0.0.1/", "https://255.255.255.255/"}) {
            assertTrue(everythingAllowed.refusal(URI.create(url), "s").isPresent(), url);
        }
        assertTrue(everythingAllowed.refusal(URI.create("http://93.184.216.34/"), "s").orElseThrow().contains("https"));
        assertTrue(everythingAllowed.refusal(URI.create("http://10.1.1.1/"), "s").orElseThrow().contains("https"));
        assertFalse(loopbackAllowed.refusal(URI.create("http://127.0.0.1:9999/"), "s").isPresent(), "the emulators on loopback");
        assertTrue(strict.refusal(URI.create("ftp://93.184.216.34/"), "s").isPresent());
        assertTrue(strict.refusal(URI.create("file:///etc/passwd"), "s").isPresent());
        assertTrue(strict.refusal(URI.create("https://user:secret@93.184.216.34/"), "s").orElseThrow().contains("credentials"));
        assertFalse(strict.refusal(URI.create("https://93.184.216.34/crm"), "s").isPresent(), "a public address over https");
    }

    @Test
    void theReasonNamesTheSettingAndRequireThrowsIt() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> strict.require(URI.create("https://169.254.169.254/"), "privacy.system.purple.base-url"));
        assertTrue(refused.getMessage().startsWith("privacy.system.purple.base-url resolves to 169.254.169.254"), refused.getMessage());
        assertEquals(URI.create("https://93.184.216.34/"), strict.require(URI.create("https://93.184.216.34/"), "s"));
        assertTrue(strict.hostRefusal("127.0.0.1", "privacy.system.warehouse.jdbc-url").isPresent());
    }
}
