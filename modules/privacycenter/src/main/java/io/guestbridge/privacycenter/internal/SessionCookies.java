package io.guestbridge.privacycenter.internal;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.SessionCookieConfig;
import jakarta.servlet.SessionTrackingMode;
import jakarta.servlet.annotation.WebListener;
import jakarta.servlet.http.HttpServletResponse;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

/**
 * Only the privacy center's forms use a session (for their tokens, see {@link io.guestbridge.webpages.api.FormTokens}): its id travels in
 * a cookie only (never in a URL), unreadable by script, sent back only to this site's own pages.
 */
@WebListener
public class SessionCookies implements ServletContextListener {

    @Override
    public void contextInitialized(ServletContextEvent event) {
        event.getServletContext().setSessionTrackingModes(EnumSet.of(SessionTrackingMode.COOKIE));
        SessionCookieConfig cookie = event.getServletContext().getSessionCookieConfig();
        cookie.setHttpOnly(true);
        cookie.setPath(event.getServletContext().getContextPath() + PrivacyCenterServlet.ROOT);
        cookie.setAttribute("SameSite", "Strict");
        cookie.setMaxAge(-1);
    }

    /**
     * The container writes the session cookie without the SameSite attribute asked for above: this adds it to the
     * cookie of a session just created, so that no other site's form can post with it (not even a top-level one).
     */
    static void sameSiteStrict(HttpServletResponse response) {
        List<String> cookies = List.copyOf(response.getHeaders("Set-Cookie"));
        for (int i = 0; i < cookies.size(); i++) {
            String cookie = cookies.get(i);
            String strict = cookie.toLowerCase(Locale.ROOT).contains("samesite") ? cookie : cookie + "; SameSite=Strict";
            if (i == 0) {
                response.setHeader("Set-Cookie", strict);
            } else {
                response.addHeader("Set-Cookie", strict);
            }
        }
    }
}
