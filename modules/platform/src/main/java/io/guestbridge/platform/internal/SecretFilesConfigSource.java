package io.guestbridge.platform.internal;

import org.eclipse.microprofile.config.spi.ConfigSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Settings from secret files: every regular file in the directory {@code GUESTBRIDGE_SECRETS_DIR} is a
 * property named after the file ({@code crm.hubspot-main.token}, or {@code CRM_HUBSPOT_MAIN_TOKEN}) whose
 * value is the file's content, trimmed — the way Kubernetes and Docker mount secrets. Below the
 * environment (ordinal 250), above the application's own properties. Values are never logged.
 *
 * <p>Why not Payara's directory config source: it sits at ordinal 90, below the application's own
 * {@code microprofile-config.properties} (100), so a mounted secret could never replace a default the WAR
 * ships; it is set per server with {@code set-config-dir} rather than by the deployment's environment; and it
 * knows only the exact property name, not the upper-case file names Docker and Kubernetes secrets are
 * usually given ({@code DB_PASSWORD} for {@code db.password}).
 */
public class SecretFilesConfigSource implements ConfigSource {

    private final Map<String, String> values;

    public SecretFilesConfigSource() {
        this(System.getenv("GUESTBRIDGE_SECRETS_DIR"));
    }

    SecretFilesConfigSource(String directory) {
        this.values = read(directory);
    }

    static Map<String, String> read(String directory) {
        Map<String, String> values = new TreeMap<>();
        if (directory == null || directory.isBlank()) {
            return values;
        }
        Path dir = Path.of(directory);
        if (!Files.isDirectory(dir)) {
            return values;
        }
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith(".")).forEach(f -> {
                try {
                    values.put(f.getFileName().toString(), Files.readString(f, StandardCharsets.UTF_8).trim());
                } catch (IOException e) {
                    // an unreadable file is a missing setting; the component that needs it says so
                }
            });
        } catch (IOException e) {
            return values;
        }
        return values;
    }

    @Override
    public Set<String> getPropertyNames() {
        return values.keySet();
    }

    /**
     * The file named as asked, else the one named as its environment variable would be (MicroProfile's rule:
     * non-alphanumerics become '_', then upper case), so a file {@code DB_PASSWORD} serves {@code db.password}.
     */
    @Override
    public String getValue(String propertyName) {
        String value = values.get(propertyName);
        if (value == null && propertyName != null) {
            String sanitized = propertyName.replaceAll("[^A-Za-z0-9]", "_");
            value = values.get(sanitized);
            if (value == null) {
                value = values.get(sanitized.toUpperCase(java.util.Locale.ROOT));
            }
        }
        return value;
    }

    @Override
    public String getName() {
        return "guestbridge secret files";
    }

    @Override
    public int getOrdinal() {
        return 250;
    }
}
