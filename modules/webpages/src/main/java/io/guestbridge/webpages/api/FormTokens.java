package io.guestbridge.webpages.api;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * Protection of every form against cross-site request forgery and replay (synchronizer tokens): each form
 * rendered carries a fresh random token that the reader's session holds; a post is taken only with a token the
 * session issued, within its lifetime, and only once. A forged post from another site has no token; a post sent
 * again (a reload, a replay) finds its token spent. A session holds the tokens of a few open forms at most
 * (several tabs), the oldest going first. Keep one instance per session; it is safe for concurrent requests.
 */
public final class FormTokens implements Serializable {

    private static final long serialVersionUID = 1L;
    /** The name of the hidden field that carries the token. */
    public static final String FIELD = "form-token";
    public static final Duration LIFETIME = Duration.ofHours(1);
    private static final int OPEN_FORMS = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final LinkedHashMap<String, Long> issued = new LinkedHashMap<>();

    /** A new token for a form about to be rendered. */
    public synchronized String issue() {
        byte[] raw = new byte[24];
        RANDOM.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        issued.put(token, System.currentTimeMillis() + LIFETIME.toMillis());
        while (issued.size() > OPEN_FORMS) {
            Iterator<String> oldest = issued.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        return token;
    }

    /** Spends the token a post carries; false for a token this session did not issue, or a second use of one. */
    public synchronized boolean spend(String sent) {
        if (sent == null || sent.length() > 64) {
            return false;
        }
        String match = null;
        for (String token : issued.keySet()) {
            if (MessageDigest.isEqual(token.getBytes(StandardCharsets.US_ASCII), sent.getBytes(StandardCharsets.US_ASCII))) {
                match = token;
            }
        }
        if (match == null) {
            return false;
        }
        long expires = issued.remove(match);
        return System.currentTimeMillis() < expires;
    }

    @Override
    public synchronized String toString() {
        return "FormTokens[" + issued.size() + " open]";
    }
}
