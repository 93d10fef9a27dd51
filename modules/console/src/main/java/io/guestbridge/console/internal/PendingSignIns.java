package io.guestbridge.console.internal;

import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.Nonce;
import io.guestbridge.platform.api.Digests;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sign-ins sent to the provider and not back yet, by their state: the PKCE verifier and the nonce stay on the server,
 * and the callback is taken only from the browser that started the sign-in (it holds a random value in a cookie
 * whose hash the pending sign-in keeps), so nobody can sign a victim in as themselves with a stolen callback URL.
 * A sign-in not finished within ten minutes is forgotten; their number is bounded.
 */
final class PendingSignIns {

    static final String COOKIE = "gb_console_signin";
    static final Duration LIFETIME = Duration.ofMinutes(10);
    private static final int MAX_PENDING = 10_000;

    record Pending(String browserHash, CodeVerifier verifier, Nonce nonce, String next, Instant startedAt) {
    }

    private final Map<String, Pending> byState = new ConcurrentHashMap<>();

    boolean add(String state, String browserValue, CodeVerifier verifier, Nonce nonce, String next) {
        Instant now = Instant.now();
        byState.values().removeIf(p -> p.startedAt().plus(LIFETIME).isBefore(now));
        if (byState.size() >= MAX_PENDING) {
            return false;
        }
        byState.put(state, new Pending(Digests.sha256Hex(browserValue), verifier, nonce, next, now));
        return true;
    }

    /** The pending sign-in of this state and browser, taken (a callback works once). */
    Optional<Pending> take(String state, String browserValue) {
        if (state == null || browserValue == null) {
            return Optional.empty();
        }
        Pending pending = byState.get(state);
        if (pending == null || !pending.browserHash().equals(Digests.sha256Hex(browserValue)) || !byState.remove(state, pending)
                || pending.startedAt().plus(LIFETIME).isBefore(Instant.now())) {
            return Optional.empty();
        }
        return Optional.of(pending);
    }
}
