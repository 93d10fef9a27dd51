package io.guestbridge.identity.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How a venue's pages for guests look: its logo, served from this origin (pages for guests load nothing from another
 * origin), the colour of the header bar and of buttons and links (each carries white text, or sits on white, so each must
 * reach the 4.5:1 contrast WCAG 2.2 AA asks of text), and the link to the venue's privacy notice. Every part may be null:
 * the neutral default applies to it.
 */
@Schema(name = "VenueBranding")
public record Branding(@Schema(description = "Path of the logo on this server's origin", example = "/branding/grand-hotel.svg") String logoPath,
                       @Schema(description = "Header bar colour (#rrggbb), at least 4.5:1 against white", example = "#143d59") String headerColour,
                       @Schema(description = "Button and link colour (#rrggbb), at least 4.5:1 against white", example = "#0b6e3b") String actionColour,
                       @Schema(description = "The venue's privacy notice (https, or a path on this origin)", example = "https://grand-hotel.example/privacy")
                       String privacyNoticeUrl) {

    /** The contrast WCAG 2.2 AA asks of normal text (success criterion 1.4.3). */
    public static final double TEXT_CONTRAST = 4.5;

    private static final Pattern COLOUR = Pattern.compile("#[0-9a-fA-F]{6}");
    private static final Pattern SAME_ORIGIN_PATH = Pattern.compile("/(?!/)[A-Za-z0-9._~/-]{1,199}");
    private static final Pattern NOTICE = Pattern.compile("https://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~/%?&=+#-]*)?");

    public static final Branding NONE = new Branding(null, null, null, null);

    /** What is wrong with this branding, in words an operator can act on; null when nothing is. */
    public String problem() {
        if (logoPath != null && (!SAME_ORIGIN_PATH.matcher(logoPath).matches() || logoPath.contains(".."))) {
            return "logoPath must be a path on this server, like /branding/logo.svg (pages for guests load nothing from another origin)";
        }
        for (String colour : new String[]{headerColour, actionColour}) {
            if (colour != null && !COLOUR.matcher(colour).matches()) {
                return "colours are written #rrggbb, like #143d59";
            }
            if (colour != null && contrast(colour, "#ffffff") < TEXT_CONTRAST) {
                return String.format(Locale.ROOT, "%s against white text has a contrast of %.2f:1; WCAG 2.2 AA needs at least 4.5:1: choose a darker colour",
                        colour, contrast(colour, "#ffffff"));
            }
        }
        if (privacyNoticeUrl != null && privacyNoticeUrl.length() > 300
                || privacyNoticeUrl != null && !NOTICE.matcher(privacyNoticeUrl).matches() && !SAME_ORIGIN_PATH.matcher(privacyNoticeUrl).matches()) {
            return "privacyNoticeUrl must be an https address or a path on this server (at most 300 characters)";
        }
        return null;
    }

    /** The colour when it is well formed and readable with white, else null (the default applies). */
    public static String readable(String colour) {
        return colour != null && COLOUR.matcher(colour).matches() && contrast(colour, "#ffffff") >= TEXT_CONTRAST ? colour.toLowerCase(Locale.ROOT) : null;
    }

    /** The WCAG contrast ratio of two #rrggbb colours, from 1 to 21. */
    public static double contrast(String first, String second) {
        double a = luminance(first);
        double b = luminance(second);
        return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    }

    private static double luminance(String colour) {
        int rgb = Integer.parseInt(colour.substring(1), 16);
        return 0.2126 * channel(rgb >> 16 & 0xff) + 0.7152 * channel(rgb >> 8 & 0xff) + 0.0722 * channel(rgb & 0xff);
    }

    private static double channel(int value) {
        double c = value / 255.0;
        return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }
}
