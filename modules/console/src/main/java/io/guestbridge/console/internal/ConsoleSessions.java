package io.guestbridge.console.internal;

import io.guestbridge.platform.api.Digests;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's sessions, apart from the servlet container's (whose one cookie the privacy center scopes to its own
 * path): a random id in a cookie that script cannot read, sent only over HTTPS and only to /console/, and
 * not on another site's posts (SameSite=Lax: the provider's redirect back after sign-in is a top-level navigation
 * from another site, which Strict would strip). A session ends after {@code console.session.idle} without a request
 * (default 30 minutes) and {@code console.session.absolute} after sign-in whatever happens (default 8 hours).
 *
 * <p>Sessions live in this server's memory, bounded in number: with several instances the load balancer keeps a
 * person on one instance (sticky on the cookie), and a restart signs everyone out, who then signs in again through
 * the provider's own session without typing a password.
 */
@ApplicationScoped
public class ConsoleSessions {

    static final String COOKIE = "gb_console";
    static final String PATH = "/console";
    static final int MAX_SESSIONS = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, ConsoleSession> byIdHash = new ConcurrentHashMap<>();
    private final Duration idle;
    private final Duration absolute;

    public ConsoleSessions() {
        Config config = ConfigProvider.getConfig();
        this.idle = config.getOptionalValue("console.session.idle", String.class).map(Duration::parse).orElse(Duration.ofMinutes(30));
        this.absolute = config.getOptionalValue("console.session.absolute", String.class).map(Duration::parse).orElse(Duration.ofHours(8));
    }

    /** What a request's cookie leads to. */
    sealed interface Lookup permits Active, Ended, None {
    }

    record Active(ConsoleSession session) implements Lookup {
    }

    /** The cookie named a session that timed out (or a server restart forgot): the person is told so. */
    record Ended() implements Lookup {
    }

    record None() implements Lookup {
    }

    Lookup lookup(HttpServletRequest request) {
        Optional<String> id = cookie(request);
        if (id.isEmpty()) {
            return new None();
        }
        String key = Digests.sha256Hex(id.get());
        ConsoleSession session = byIdHash.get(key);
        Instant now = Instant.now();
        if (session == null || expired(session, now)) {
            byIdHash.remove(key);
            return new Ended();
        }
        session.seen(now);
        return new Active(session);
    }

    /** Starts a session and sets its cookie; a session the request had before is ended (no fixation). */
    void start(HttpServletRequest request, HttpServletResponse response, ConsoleSession session) {
        end(request, response);
        purgeExpired();
        if (byIdHash.size() >= MAX_SESSIONS) {
            throw new IllegalStateException("the console has " + MAX_SESSIONS + " sessions open; try again later");
        }
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        byIdHash.put(Digests.sha256Hex(id), session);
        setCookie(response, COOKIE, id, -1);
    }

    /** Ends the request's session, if any, and clears its cookie. */
    Optional<ConsoleSession> end(HttpServletRequest request, HttpServletResponse response) {
        Optional<ConsoleSession> ended = cookie(request).map(id -> byIdHash.remove(Digests.sha256Hex(id)));
        if (cookie(request).isPresent()) {
            setCookie(response, COOKIE, "", 0);
        }
        return ended;
    }

    Duration idle() {
        return idle;
    }

    private boolean expired(ConsoleSession session, Instant now) {
        return now.isAfter(session.lastSeenAt().plus(idle)) || now.isAfter(session.createdAt().plus(absolute));
    }

    private void purgeExpired() {
        Instant now = Instant.now();
        byIdHash.values().removeIf(s -> expired(s, now));
    }

    private static Optional<String> cookie(HttpServletRequest request) {
        return cookieValue(request, COOKIE);
    }

    static Optional<String> cookieValue(HttpServletRequest request, String name) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return Optional.empty();
        }
        for (Cookie cookie : cookies) {
            if (cookie.getName().equals(name) && cookie.getValue() != null && cookie.getValue().length() <= 64 && !cookie.getValue().isEmpty()) {
                return Optional.of(cookie.getValue());
            }
        }
        return Optional.empty();
    }

    /**
     * Writes the Set-Cookie header by hand: the container drops the SameSite attribute of the servlet API's cookies.
     * {@code maxAgeSeconds} -1 for a cookie that ends with the browser, 0 to delete.
     */
    static void setCookie(HttpServletResponse response, String name, String value, int maxAgeSeconds) {
        StringBuilder header = new StringBuilder(name).append('=').append(value).append("; Path=").append(PATH)
                .append("; Secure; HttpOnly; SameSite=Lax");
        if (maxAgeSeconds >= 0) {
            header.append("; Max-Age=").append(maxAgeSeconds);
        }
        response.addHeader("Set-Cookie", header.toString());
    }
}
