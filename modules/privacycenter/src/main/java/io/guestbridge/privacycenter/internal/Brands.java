package io.guestbridge.privacycenter.internal;

import io.guestbridge.identity.api.Branding;
import io.guestbridge.identity.api.Venues;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import java.util.Optional;

/**
 * Whose privacy center the guest sees: the venue the link they followed names ({@code ?venue=<id>}, as a captive portal's
 * privacy link or a receipt carries it), kept for the visit, with that venue's name, logo, colours and privacy notice
 * from the venue registry; the neutral center when no venue is named. A colour that would leave white text unreadable is
 * not used, whatever the registry holds: the neutral colour takes its place.
 */
public final class Brands {

    private static final String CHOSEN = Brands.class.getName();
    private static final String VENUE_ID = "[0-9a-f-]{36}";

    /**
     * What a page shows of its venue; {@code venueId} null for the neutral center. {@code zone} is the venue's time
     * zone, the one its dates are shown in; null for the neutral center (which shows them in the configured one).
     */
    public record Brand(String venueId, String name, String logoPath, String headerColour, String actionColour, String noticeUrl,
                        java.time.ZoneId zone) {

        static final Brand NEUTRAL = new Brand(null, null, null, null, null, null, null);

        Brand(String venueId, String name, String logoPath, String headerColour, String actionColour, String noticeUrl) {
            this(venueId, name, logoPath, headerColour, actionColour, noticeUrl, null);
        }

        /** Names the colours in the stylesheet's address, so a browser never keeps a sheet of colours that changed. */
        public String fingerprint() {
            return (headerColour == null ? "-" : headerColour.substring(1)) + "." + (actionColour == null ? "-" : actionColour.substring(1));
        }

        /** Whether the page needs the venue's own stylesheet (a colour of its own). */
        public boolean coloured() {
            return headerColour != null || actionColour != null;
        }

    }

    private Brands() {
    }

    static Brand of(HttpServletRequest request, Venues venues) {
        String asked = request.getParameter("venue");
        String id = null;
        if (asked != null && asked.matches(VENUE_ID)) {
            id = asked;
            request.getSession(true).setAttribute(CHOSEN, id);
        } else {
            HttpSession session = request.getSession(false);
            if (session != null && session.getAttribute(CHOSEN) instanceof String kept) {
                id = kept;
            }
        }
        return id == null ? Brand.NEUTRAL : of(id, venues);
    }

    static Brand of(String venueId, Venues venues) {
        Optional<Venues.Venue> venue = venueId.matches(VENUE_ID) ? venues.find(venueId) : Optional.empty();
        if (venue.isEmpty()) {
            return Brand.NEUTRAL;
        }
        Branding branding = venue.get().branding() == null ? Branding.NONE : venue.get().branding();
        // a value the registry would refuse today (written before its checks, or by hand) is left out, part by part
        Branding logoOnly = new Branding(branding.logoPath(), null, null, null);
        Branding noticeOnly = new Branding(null, null, null, branding.privacyNoticeUrl());
        return new Brand(venue.get().id(), venue.get().name(), logoOnly.problem() == null ? branding.logoPath() : null,
                Branding.readable(branding.headerColour()), Branding.readable(branding.actionColour()),
                noticeOnly.problem() == null ? branding.privacyNoticeUrl() : null, venue.get().zone());
    }

    /** The venue's stylesheet: its colours over the center's own (served from this origin, so the CSP needs no inline style). */
    static String stylesheet(Brand brand) {
        StringBuilder css = new StringBuilder("/* colours of venue ").append(brand.venueId()).append(", each checked for 4.5:1 against white */\n");
        if (brand.headerColour() != null) {
            css.append("header.site { background: ").append(brand.headerColour()).append("; }\n");
        }
        if (brand.actionColour() != null) {
            String colour = brand.actionColour();
            css.append("button { background: ").append(colour).append("; }\n")
                    .append("button:hover { background: ").append(colour).append("; filter: brightness(0.85); }\n")
                    .append("main a, footer.site a { color: ").append(colour).append("; }\n")
                    .append(".panel { border-left-color: ").append(colour).append("; }\n");
        }
        return css.toString();
    }
}
