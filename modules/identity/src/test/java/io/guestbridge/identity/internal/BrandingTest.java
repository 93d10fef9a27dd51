package io.guestbridge.identity.internal;

import io.guestbridge.identity.api.Branding;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A venue's branding keeps its pages readable and on this origin. */
class BrandingTest {

    @Test
    void contrastIsWcagsRatio() {
        assertEquals(21.0, Branding.contrast("#000000", "#ffffff"), 1e-9);
        assertEquals(1.0, Branding.contrast("#777777", "#777777"), 1e-9);
        assertEquals(4.48, Branding.contrast("#777777", "#ffffff"), 0.01, "the classic grey just below AA");
    }

    @Test
    void coloursThatLeaveWhiteTextUnreadableAreRefusedWithTheirRatio() {
        assertNull(new Branding("/branding/logo.svg", "#143d59", "#0b6e3b", "https://hotel.example/privacy").problem());
        String problem = new Branding(null, "#ffcc00", null, null).problem();
        assertTrue(problem.contains("#ffcc00") && problem.contains("1.") && problem.contains("4.5:1"), problem);
        assertTrue(new Branding(null, null, "#777777", null).problem().contains("4.48:1"));
        assertTrue(new Branding(null, "red", null, null).problem().contains("#rrggbb"));
        assertNull(Branding.readable("#ffcc00"), "an unreadable colour is not used");
        assertEquals("#143d59", Branding.readable("#143D59"));
        assertNull(Branding.readable("#12345"));
    }

    @Test
    void theLogoComesFromThisOriginAndTheNoticeOverHttps() {
        for (String logo : new String[]{"//evil.example/logo.png", "https://cdn.example/logo.png", "/a/../../etc/passwd", "logo.png", "/logo.svg\"><script>"}) {
            assertTrue(new Branding(logo, null, null, null).problem().startsWith("logoPath"), logo);
        }
        for (String notice : new String[]{"javascript:alert(1)", "http://hotel.example/privacy", "//hotel.example"}) {
            assertTrue(new Branding(null, null, null, notice).problem().startsWith("privacyNoticeUrl"), notice);
        }
        assertNull(new Branding(null, null, null, "/privacy-notice").problem());
        assertNull(Branding.NONE.problem());
    }
}
