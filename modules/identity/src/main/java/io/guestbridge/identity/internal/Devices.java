package io.guestbridge.identity.internal;

import ua_parser.CachingParser;
import ua_parser.Client;
import ua_parser.Parser;

import java.util.Locale;
import java.util.Optional;

/**
 * What a login tells about the device: a MAC address (normalised; flagged when it is locally
 * administered, i.e. randomised by the phone and useless for recognising anyone) and the user agent,
 * parsed into a device type and an OS with the ua-parser rules.
 */
final class Devices {

    private static final Parser PARSER = new CachingParser();

    private Devices() {
    }

    /** A MAC as 12 lower-case hex digits, whatever the separators; empty when it is not a MAC. */
    static Optional<String> normalizeMac(String mac) {
        if (mac == null) {
            return Optional.empty();
        }
        String hex = mac.replaceAll("[\\s:.\\-]", "").toLowerCase(Locale.ROOT);
        if (!hex.matches("[0-9a-f]{12}") || hex.equals("000000000000") || hex.equals("ffffffffffff")) {
            return Optional.empty();
        }
        return Optional.of(hex);
    }

    /** Locally administered (second-lowest bit of the first octet set): iOS, Android and Windows randomise MACs so. */
    static boolean randomised(String normalizedMac) {
        return (Integer.parseInt(normalizedMac.substring(0, 2), 16) & 0x02) != 0;
    }

    /** Device type and OS from a user agent, each when the rules recognise it. */
    record Parsed(String deviceType, String os) {
    }

    static Parsed parse(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return new Parsed(null, null);
        }
        Client client;
        synchronized (PARSER) { // CachingParser's cache is not thread-safe
            client = PARSER.parse(userAgent.length() > 512 ? userAgent.substring(0, 512) : userAgent);
        }
        String os = known(client.os.family) ? (client.os.family + (client.os.major != null ? " " + client.os.major : "")) : null;
        String device = known(client.device.family) ? client.device.family : typeFromOs(client.os.family);
        return new Parsed(device, os);
    }

    private static String typeFromOs(String os) {
        if (os == null) {
            return null;
        }
        return switch (os) {
            case "Windows", "Mac OS X", "Linux", "Ubuntu", "Fedora", "Chrome OS", "FreeBSD" -> "Desktop";
            case "Android", "iOS" -> "Mobile";
            default -> null;
        };
    }

    private static boolean known(String family) {
        return family != null && !family.isBlank() && !"Other".equals(family);
    }
}
