package io.guestbridge.identity.internal;

import io.guestbridge.identity.api.FieldOwnership;
import io.guestbridge.identity.api.GuestField;
import io.guestbridge.identity.api.Observation;
import io.guestbridge.identity.api.SourceSystem;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The profile does not depend on the order in which the same observations arrive. */
class GuestProfilePropertiesTest {

    private final FieldOwnership ownership = FieldOwnership.defaults();

    @Property(tries = 500)
    void anyArrivalOrderGivesTheSameProfile(@ForAll("observations") @Size(min = 1, max = 40) List<Observation> observations,
                                            @ForAll long seed) {
        List<Observation> shuffled = new ArrayList<>(observations);
        Collections.shuffle(shuffled, new Random(seed));
        assertEquals(apply(observations).fields(), apply(shuffled).fields());
    }

    @Property(tries = 300)
    void replayingObservationsChangesNothing(@ForAll("observations") @Size(min = 1, max = 30) List<Observation> observations) {
        GuestProfile once = apply(observations);
        GuestProfile twice = apply(observations);
        for (Observation replay : observations) {
            assertFalse(twice.observe(replay, ownership));
        }
        assertEquals(once.fields(), twice.fields());
    }

    @Property(tries = 300)
    void aWifiValueNeverReplacesAnOwningValueOfACrmMasterField(@ForAll("observations") @Size(min = 1, max = 30) List<Observation> observations) {
        GuestProfile profile = apply(observations);
        for (GuestField field : GuestField.values()) {
            boolean someoneOwning = observations.stream().anyMatch(o -> o.field() == field && ownership.owns(o.source(), field));
            profile.field(field).ifPresent(value -> {
                if (someoneOwning) {
                    assertTrue(ownership.owns(value.source(), field),
                            field + " is held by a non-owning source although an owning one reported it");
                }
            });
        }
    }

    private GuestProfile apply(List<Observation> observations) {
        GuestProfile profile = new GuestProfile();
        observations.forEach(o -> profile.observe(o, ownership));
        return profile;
    }

    @Provide
    Arbitrary<List<Observation>> observations() {
        Arbitrary<GuestField> fields = Arbitraries.of(GuestField.FIRST_NAME, GuestField.PHONE, GuestField.LAST_VENUE, GuestField.OS);
        Arbitrary<SourceSystem> sources = Arbitraries.of(SourceSystem.values());
        // few distinct values and times, so that ties actually happen
        Arbitrary<String> values = Arbitraries.of("Jane", "Janet", "J", "+447700900123", "venue-1", "venue-2", "iOS 17");
        Arbitrary<Instant> times = Arbitraries.integers().between(0, 6).map(h -> Instant.parse("2026-11-25T08:00:00Z").plusSeconds(3600L * h));
        // the same value may arrive verified or not, and unverified for different reasons (read in different countries)
        Arbitrary<String> reasons = Arbitraries.of("no country", "not valid in GB").injectNull(0.5);
        return Combinators.combine(fields, values, sources, times, reasons).as(Observation::new).list();
    }
}
