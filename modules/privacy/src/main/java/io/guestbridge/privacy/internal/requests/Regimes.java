package io.guestbridge.privacy.internal.requests;

import io.guestbridge.identity.api.Country;
import io.guestbridge.identity.api.Venues;
import io.guestbridge.platform.api.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which law a new request is answered under: the one staff set on it; else the one of the venue's place, from
 * {@code privacy.regime.by-region} (comma-separated {@code place=REGIME}, a place being a country, {@code GB}, or a country
 * and its region, {@code US-CA}; default {@code US-CA=CCPA,GB=UK_GDPR}) where a venue's place is
 * {@code privacy.regime.venue-region.<venue id>} when configured (the venue registry knows countries, not their regions),
 * else the venue's country; else {@code privacy.regime.default} (default GDPR).
 */
@ApplicationScoped
public class Regimes {

    static final String DEFAULT_BY_REGION = "US-CA=CCPA,GB=UK_GDPR";

    @Inject
    Config config;

    @Inject
    Venues venues;

    /** The regime and where it came from (for the request's history and audit record). */
    public record Choice(Regime regime, String from) {
    }

    public Choice choose(String regime, String venueId) {
        if (regime != null) {
            return new Choice(Regime.parse(regime), "set by staff");
        }
        if (venueId != null) {
            Venues.Venue venue = venues.find(venueId.strip()).orElseThrow(() -> ProblemException.invalid("venue: there is no venue " + venueId
                    + " (GET /api/v1/venues lists them); or send the regime itself."));
            Optional<String> place = config.getOptionalValue("privacy.regime.venue-region." + venue.id(), String.class).map(String::strip)
                    .filter(s -> !s.isEmpty()).or(() -> venue.phoneCountry().map(Country::code));
            if (place.isPresent()) {
                Optional<Regime> ofPlace = ofPlace(place.get());
                if (ofPlace.isPresent()) {
                    return new Choice(ofPlace.get(), "venue " + venue.id() + " in " + place.get().toUpperCase(Locale.ROOT));
                }
            }
            return new Choice(defaultRegime(), "default; venue " + venue.id() + place.map(p -> " in " + p.toUpperCase(Locale.ROOT)).orElse(""));
        }
        return new Choice(defaultRegime(), "default");
    }

    /** The regime of a place: its own entry ({@code US-CA}), else its country's ({@code US}). */
    Optional<Regime> ofPlace(String place) {
        Map<String, Regime> byRegion = byRegion();
        String key = place.strip().toUpperCase(Locale.ROOT);
        Regime exact = byRegion.get(key);
        if (exact != null) {
            return Optional.of(exact);
        }
        int dash = key.indexOf('-');
        return dash > 0 ? Optional.ofNullable(byRegion.get(key.substring(0, dash))) : Optional.empty();
    }

    public Regime defaultRegime() {
        return config.getOptionalValue("privacy.regime.default", String.class).map(Regime::parse).orElse(Regime.GDPR);
    }

    Map<String, Regime> byRegion() {
        Map<String, Regime> byRegion = new LinkedHashMap<>();
        for (String entry : config.getOptionalValue("privacy.regime.by-region", String.class).orElse(DEFAULT_BY_REGION).split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int equals = entry.indexOf('=');
            if (equals < 1) {
                throw new IllegalStateException("privacy.regime.by-region: '" + entry.strip() + "' is not place=REGIME (e.g. US-CA=CCPA)");
            }
            byRegion.put(entry.substring(0, equals).strip().toUpperCase(Locale.ROOT), Regime.parse(entry.substring(equals + 1)));
        }
        return byRegion;
    }
}
