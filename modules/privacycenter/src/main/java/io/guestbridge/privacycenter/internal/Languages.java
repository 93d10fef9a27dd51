package io.guestbridge.privacycenter.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import java.util.List;
import java.util.Locale;

/**
 * The guest's language: the one they chose with the switch (kept for their visit), else the first of their
 * browser's Accept-Language the center speaks, else English. A language is one messages file.
 */
final class Languages {

    static final List<Locale> SPOKEN = List.of(Locale.ENGLISH, Locale.FRENCH);
    private static final String CHOSEN = Languages.class.getName();

    private Languages() {
    }

    static Locale of(HttpServletRequest request) {
        String asked = request.getParameter("lang");
        Locale chosen = spoken(asked);
        if (chosen != null) {
            request.getSession(true).setAttribute(CHOSEN, chosen.getLanguage());
            return chosen;
        }
        HttpSession session = request.getSession(false);
        if (session != null && session.getAttribute(CHOSEN) instanceof String kept && spoken(kept) != null) {
            return spoken(kept);
        }
        return PrivacyCenterServlet.PAGES.language(null, request.getHeader("Accept-Language"));
    }

    private static Locale spoken(String tag) {
        if (tag == null) {
            return null;
        }
        return SPOKEN.stream().filter(l -> l.getLanguage().equals(tag)).findFirst().orElse(null);
    }
}
