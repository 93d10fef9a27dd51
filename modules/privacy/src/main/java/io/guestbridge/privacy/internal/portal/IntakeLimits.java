package io.guestbridge.privacy.internal.portal;

import io.guestbridge.platform.api.AttemptLimits;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;

import java.time.Duration;

/**
 * The limits of the public side, all counted by {@link AttemptLimits} (in the database, shared by every
 * instance, actors kept as keyed hashes): requests per email and per client address, and wrong guesses
 * per client address — codes entered and export links tried — so that neither a code nor a link can be
 * found by trying. The same limits apply whether or not an email is known: the answer never tells
 * whether someone is a guest.
 */
@ApplicationScoped
public class IntakeLimits {

    private static final Duration HOUR = Duration.ofHours(1);

    @Inject
    AttemptLimits attempts;

    @Inject
    Config config;

    /** Counts a request for an email (by its hash) from a client address; 429 once either is over its hourly limit. */
    public void admit(String emailHash, String clientAddress) {
        attempts.count(new AttemptLimits.Limit("privacy-intake-email", setting("privacy.intake.per-email-per-hour", 3), HOUR), emailHash);
        attempts.count(new AttemptLimits.Limit("privacy-intake-address", setting("privacy.intake.per-address-per-hour", 20), HOUR), clientAddress);
    }

    /** Before a code is checked: 429 while this address is blocked for wrong codes. */
    void checkCodes(String clientAddress) {
        attempts.check(wrongCodes(), clientAddress);
    }

    /** A wrong code from this address (each request also allows only a few tries of its own). */
    void wrongCode(String clientAddress) {
        attempts.count(wrongCodes(), clientAddress);
    }

    /** Before an export link is looked up: 429 while this address is blocked for unknown links. */
    void checkLinks(String clientAddress) {
        attempts.check(unknownLinks(), clientAddress);
    }

    /** An export link that is unknown, used or expired, tried from this address. */
    void unknownLink(String clientAddress) {
        attempts.count(unknownLinks(), clientAddress);
    }

    private AttemptLimits.Limit wrongCodes() {
        return new AttemptLimits.Limit("privacy-wrong-code", setting("privacy.guessing.wrong-codes-per-hour", 20), HOUR);
    }

    private AttemptLimits.Limit unknownLinks() {
        return new AttemptLimits.Limit("privacy-unknown-export", setting("privacy.guessing.unknown-links-per-hour", 20), HOUR);
    }

    private int setting(String name, int fallback) {
        return config.getOptionalValue(name, Integer.class).orElse(fallback);
    }
}
