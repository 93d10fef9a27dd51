package io.guestbridge.launcher;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Date;

/**
 * The certificate authorities the server trusts for its outgoing TLS calls (CRMs, Purple's API): those of
 * the JDK it runs on, without the expired ones. Payara Micro otherwise uses the trust store bundled in
 * its jar, whose expired authorities it reports at every boot, each as a full certificate dump
 * (NCLS-SECURITY-05054). Payara copies the store named by {@code javax.net.ssl.trustStore} into its
 * runtime directory and opens it with its master password, {@value #PASSWORD}: a trust store holds
 * public certificates only, so that password protects nothing secret.
 */
final class TrustStore {

    static final String PASSWORD = "changeit";

    private TrustStore() {
    }

    /** Writes the JDK's unexpired trusted certificates to {@code file} (PKCS#12); returns how many. */
    static int writeJdkAuthorities(Path javaHome, Path file, Date now) {
        Path jdk = javaHome.resolve("lib").resolve("security").resolve("cacerts");
        try {
            KeyStore source = KeyStore.getInstance(jdk.toFile(), PASSWORD.toCharArray());
            KeyStore trimmed = KeyStore.getInstance("PKCS12");
            trimmed.load(null, null);
            int kept = 0;
            for (String alias : Collections.list(source.aliases())) {
                Certificate certificate = source.getCertificate(alias);
                if (source.isCertificateEntry(alias) && certificate instanceof X509Certificate x509 && !x509.getNotAfter().before(now)) {
                    trimmed.setCertificateEntry(alias, certificate);
                    kept++;
                }
            }
            Files.createDirectories(file.getParent());
            Path part = file.resolveSibling(file.getFileName() + ".part");
            try (OutputStream out = Files.newOutputStream(part)) {
                trimmed.store(out, PASSWORD.toCharArray());
            }
            Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return kept;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the server's trust store " + file + " from " + jdk, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the JDK's trusted certificates in " + jdk, e);
        }
    }
}
