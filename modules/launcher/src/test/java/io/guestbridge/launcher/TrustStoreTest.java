package io.guestbridge.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collections;
import java.util.Date;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrustStoreTest {

    @TempDir
    Path dir;

    @Test
    void theJdkAuthoritiesWithoutTheExpiredOnesOpenWithPayarasPassword() throws Exception {
        Path javaHome = Path.of(System.getProperty("java.home"));
        Date now = new Date();
        Path file = dir.resolve("truststore.p12");
        int kept = TrustStore.writeJdkAuthorities(javaHome, file, now);
        KeyStore written = KeyStore.getInstance(file.toFile(), TrustStore.PASSWORD.toCharArray());
        assertEquals(kept, written.size());
        assertTrue(kept > 20, "the JDK's authorities are there: " + kept);
        for (String alias : Collections.list(written.aliases())) {
            assertTrue(written.isCertificateEntry(alias));
            assertTrue(!((X509Certificate) written.getCertificate(alias)).getNotAfter().before(now), alias + " has not expired");
        }
        KeyStore jdk = KeyStore.getInstance(javaHome.resolve("lib/security/cacerts").toFile(), TrustStore.PASSWORD.toCharArray());
        long unexpired = Collections.list(jdk.aliases()).stream()
                .filter(a -> !((X509Certificate) uncheck(jdk, a)).getNotAfter().before(now)).count();
        assertEquals(unexpired, kept, "every unexpired authority is kept");
        assertEquals(0, TrustStore.writeJdkAuthorities(javaHome, file, Date.from(Instant.parse("2200-01-01T00:00:00Z"))),
                "in 2200 every one of today's authorities has expired, and none is kept");
    }

    private static java.security.cert.Certificate uncheck(KeyStore store, String alias) {
        try {
            return store.getCertificate(alias);
        } catch (java.security.KeyStoreException e) {
            throw new IllegalStateException(e);
        }
    }
}
