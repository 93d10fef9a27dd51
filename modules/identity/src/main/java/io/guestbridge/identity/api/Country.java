package io.guestbridge.identity.api;

import com.google.i18n.phonenumbers.PhoneNumberUtil;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A country as an ISO 3166-1 alpha-2 code ({@code GB}) that has its own telephone numbering plan: the
 * country in which a phone number written without its country code ({@code 07911 123456}) is read.
 *
 * <p>Where guests are seen, the country is the venue's: configured by an operator, or else the country of
 * the venue's time zone. The zone's country comes from the IANA time zone database's {@code zone.tab}
 * (Europe/London → GB, Europe/Jersey → JE), kept with this class. Zones that span no single country
 * ({@code UTC}, {@code Etc/GMT+1}) have none, and national numbers from there stay unverified.
 */
public record Country(String code) {

    private static final Map<String, String> ZONE_COUNTRIES = zoneCountries();

    public Country {
        if (code == null || !code.matches("[A-Z]{2}") || !PhoneNumberUtil.getInstance().getSupportedRegions().contains(code)) {
            throw new IllegalArgumentException("a country is an ISO 3166-1 alpha-2 code with a telephone numbering plan, e.g. GB");
        }
    }

    /** The country of a code written in any case and with stray spaces ({@code " gb"}). */
    public static Country of(String code) {
        return new Country(code == null ? null : code.strip().toUpperCase(Locale.ROOT));
    }

    /** The country a time zone belongs to, when it belongs to exactly one. */
    public static Optional<Country> ofZone(ZoneId zone) {
        if (zone == null) {
            return Optional.empty();
        }
        String code = ZONE_COUNTRIES.get(zone.getId());
        return code == null || !PhoneNumberUtil.getInstance().getSupportedRegions().contains(code)
                ? Optional.empty() : Optional.of(new Country(code));
    }

    /** zone.tab: one line per zone, "country code, coordinates, zone id[, comment]" separated by tabs. */
    private static Map<String, String> zoneCountries() {
        Map<String, String> countries = new HashMap<>();
        try (InputStream in = Country.class.getResourceAsStream("zone.tab")) {
            if (in == null) {
                throw new IllegalStateException("zone.tab is missing from the identity module");
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] columns = line.split("\t");
                if (columns.length >= 3) {
                    countries.put(columns[2], columns[0]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.copyOf(countries);
    }
}
