package io.guestbridge.privacy.internal.requests;

import io.guestbridge.identity.api.Venues;
import io.guestbridge.platform.api.ProblemException;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which law a new request gets: staff's choice, else the venue's place, else the configured default. */
class RegimesTest {

    private static final Venues.Venue SAN_DIEGO = new Venues.Venue("v-sd", "purple:1", "Harbor Hotel", ZoneId.of("America/Los_Angeles"), null, null, "US",
            null);
    private static final Venues.Venue LONDON = new Venues.Venue("v-ldn", "purple:2", "Strand Hotel", ZoneId.of("Europe/London"), null, null, null, null);
    private static final Venues.Venue PARIS = new Venues.Venue("v-par", "purple:3", "Hôtel du Louvre", ZoneId.of("Europe/Paris"), null, null, null, null);

    @Test
    void staffChooseElseTheVenuesPlaceElseTheDefault() {
        Regimes regimes = regimes(Map.of("privacy.regime.venue-region.v-sd", "US-CA"));
        assertEquals(Regime.CCPA, regimes.choose(null, "v-sd").regime(), "a venue in California");
        assertTrue(regimes.choose(null, "v-sd").from().contains("US-CA"));
        assertEquals(Regime.UK_GDPR, regimes.choose(null, "v-ldn").regime(), "London's zone is in GB");
        assertEquals(Regime.GDPR, regimes.choose(null, "v-par").regime(), "no entry for FR: the default");
        assertEquals(Regime.GDPR, regimes.choose(" gdpr ", "v-sd").regime(), "staff's choice wins");
        assertEquals("set by staff", regimes.choose("CCPA", null).from());
        assertEquals(Regime.GDPR, regimes.choose(null, null).regime());
        // a US venue outside California is not under the CCPA: only its region's entry makes it so
        assertEquals(Regime.GDPR, regimes(Map.of()).choose(null, "v-sd").regime());
    }

    @Test
    void configurationDecidesTheMapAndTheDefault() {
        Regimes regimes = regimes(Map.of("privacy.regime.by-region", "US=CCPA, FR=GDPR", "privacy.regime.default", "UK_GDPR"));
        assertEquals(Regime.CCPA, regimes.choose(null, "v-sd").regime(), "a country's entry covers its regions");
        assertEquals(Regime.UK_GDPR, regimes.choose(null, null).regime());
        assertEquals(Regime.GDPR, regimes.choose(null, "v-par").regime());
        assertThrows(IllegalStateException.class, () -> regimes(Map.of("privacy.regime.by-region", "US-CA")).byRegion());
        ProblemException noVenue = assertThrows(ProblemException.class, () -> regimes.choose(null, "v-nowhere"));
        assertTrue(noVenue.getMessage().contains("no venue v-nowhere"), noVenue.getMessage());
    }

    private static Regimes regimes(Map<String, String> settings) {
        Regimes regimes = new Regimes();
        regimes.config = (Config) Proxy.newProxyInstance(Config.class.getClassLoader(), new Class<?>[]{Config.class}, (proxy, method, args) -> {
            if (method.getName().equals("getOptionalValue")) {
                return Optional.ofNullable(settings.get((String) args[0]));
            }
            throw new UnsupportedOperationException(method.getName());
        });
        Map<String, Venues.Venue> venues = Map.of(SAN_DIEGO.id(), SAN_DIEGO, LONDON.id(), LONDON, PARIS.id(), PARIS);
        regimes.venues = (Venues) Proxy.newProxyInstance(Venues.class.getClassLoader(), new Class<?>[]{Venues.class}, (proxy, method, args) -> {
            if (method.getName().equals("find")) {
                return Optional.ofNullable(venues.get((String) args[0]));
            }
            throw new UnsupportedOperationException(method.getName());
        });
        return regimes;
    }
}
