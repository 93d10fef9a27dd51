package io.guestbridge.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed TLS certificate for the local run, so that the HTTPS port works out of the box.
 *
 * <p>Purple posts only to HTTPS URLs with a valid certificate: this certificate is for
 * trying things locally, never for production, where the operator supplies a certificate or a
 * TLS-terminating proxy (README). Made with the JDK's own keytool, so no extra library is needed.
 */
public record DevCertificate(Path keystore, String password, String alias) {

    public static DevCertificate in(Path dir) {
        try {
            Files.createDirectories(dir);
            Path keystore = dir.resolve("dev-tls.p12");
            Path passwordFile = dir.resolve("dev-tls.password");
            String alias = "guestbridge-dev";
            if (Files.exists(keystore) && Files.exists(passwordFile)) {
                return new DevCertificate(keystore, Files.readString(passwordFile).trim(), alias);
            }
            byte[] secret = new byte[18];
            new SecureRandom().nextBytes(secret);
            String password = HexFormat.of().formatHex(secret);
            Files.deleteIfExists(keystore);
            Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
            Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair",
                    "-alias", alias, "-keyalg", "RSA", "-keysize", "2048", "-validity", "825",
                    "-dname", "CN=localhost, O=guestbridge development",
                    "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                    "-storetype", "PKCS12", "-keystore", keystore.toString(),
                    "-storepass", password, "-keypass", password))
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool could not create the development certificate: " + output);
            }
            Files.writeString(passwordFile, password);
            Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
            Files.setPosixFilePermissions(keystore, PosixFilePermissions.fromString("rw-------"));
            return new DevCertificate(keystore, password, alias);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the development certificate", e);
        }
    }
}
