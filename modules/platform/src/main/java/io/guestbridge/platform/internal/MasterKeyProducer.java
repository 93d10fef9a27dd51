package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.SecretBox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The master key, from configuration only: {@code GUESTBRIDGE_MASTER_KEY} (base64, 32 bytes) or, better
 * for production, {@code GUESTBRIDGE_MASTER_KEY_FILE} naming a file that only the service can read
 * (a mounted secret). There is no default: without a key, whatever needs one refuses to work.
 */
@ApplicationScoped
public class MasterKeyProducer {

    @Produces
    @Singleton // SecretBox is final (immutable): a pseudo-scope, so no client proxy is needed
    SecretBox secretBox() {
        Config config = ConfigProvider.getConfig();
        Optional<String> file = config.getOptionalValue("guestbridge.master-key-file", String.class);
        String key;
        if (file.isPresent()) {
            try {
                key = Files.readString(Path.of(file.get())).trim();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the master key file named by GUESTBRIDGE_MASTER_KEY_FILE", e);
            }
        } else {
            key = config.getOptionalValue("guestbridge.master-key", String.class).orElseThrow(() -> new IllegalStateException(
                    "no master key: set GUESTBRIDGE_MASTER_KEY_FILE (a file holding 32 random bytes, base64) or GUESTBRIDGE_MASTER_KEY"));
        }
        return SecretBox.withKey(key);
    }
}
