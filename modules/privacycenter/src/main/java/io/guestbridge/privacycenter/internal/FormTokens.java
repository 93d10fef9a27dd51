package io.guestbridge.privacycenter.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * Protection of every form against cross-site request forgery and replay (synchronizer tokens): each form
 * rendered carries a fresh random token that the session holds; a post is taken only with a token the
 * session issued, within its lifetime, and only once. A forged post from another site has no session (the
 * cookie is SameSite=Strict) or no token; a post sent again (a reload, a replay) finds its token spent.
 * A session holds the tokens of a few open forms at most (several tabs), the oldest going first.
 */
final class FormTokens implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final String ATTRIBUTE = FormTokens.class.getName();
    static final String FIELD = "form-token";
    static final Duration LIFETIME = Duration.ofHours(1);
    private static final int OPEN_FORMS = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final LinkedHashMap<String, Long> issued = new LinkedHashMap<>();

    /** A new token for a form about to be rendered (creates the session if there is none). */
    static String issue(HttpServletRequest request) {
        HttpSession session = request.getSession(true);
        byte[] raw = new byte[24];
        RANDOM.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        synchronized (session) {
            FormTokens tokens = of(session);
            tokens.issued.put(token, System.currentTimeMillis() + LIFETIME.toMillis());
            while (tokens.issued.size() > OPEN_FORMS) {
                Iterator<String> oldest = tokens.issued.keySet().iterator();
                oldest.next();
                oldest.remove();
            }
            // set again so that a session kept outside this JVM sees the change
            session.setAttribute(ATTRIBUTE, tokens);
        }
        return token;
    }

    /** Spends the token the post carries; false for a post this session did not ask for, or asks for a second time. */
    static boolean spend(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        String sent = request.getParameter(FIELD);
        if (session == null || sent == null || sent.length() > 64) {
            return false;
        }
        synchronized (session) {
            FormTokens tokens = of(session);
            String match = null;
            for (String token : tokens.issued.keySet()) {
                if (MessageDigest.isEqual(token.getBytes(StandardCharsets.US_ASCII), sent.getBytes(StandardCharsets.US_ASCII))) {
                    match = token;
                }
            }
            if (match == null) {
                return false;
            }
            long expires = tokens.issued.remove(match);
            session.setAttribute(ATTRIBUTE, tokens);
            return System.currentTimeMillis() < expires;
        }
    }

    private static FormTokens of(HttpSession session) {
        Object held = session.getAttribute(ATTRIBUTE);
        return held instanceof FormTokens tokens ? tokens : new FormTokens();
    }

    @Override
    public String toString() {
        return "FormTokens[" + issued.size() + " open]";
    }
}
