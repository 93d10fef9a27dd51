package io.guestbridge.onboarding.internal;

import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditTrail;
import io.guestbridge.identity.api.GuestDirectory;
import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import javax.sql.DataSource;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The venues' guest networks that give booked guests credentials: set by operators, audited. */
@ApplicationScoped
public class Networks {

    private final OnboardingStore store = new OnboardingStore();

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Inject
    AuditTrail trail;

    @Inject
    GuestDirectory guests;

    /**
     * Sets the venue's network, and brings the credentials of the guests already booked from its booking source in line
     * with it: each guest whose stay may still have a credential (one departing within the longest grace ago, or later)
     * is followed again through the queue, as after a booking event, so that bookings that arrived before the network
     * get their credentials, and issued credentials take a new grace. A network moved to another booking source also
     * has the old source's guests followed: their credentials for this venue end.
     */
    @Transactional(TxType.MANDATORY)
    public Network configure(Network network, String actor) {
        Instant now = Instant.now();
        Optional<Network> before = Jdbc.inConnection(dataSource, "onboarding", c -> {
            Optional<Network> was = store.network(c, network.venueId());
            store.saveNetwork(c, network, now);
            return was;
        });
        Instant departingAfter = now.minus(ValidityPolicy.LONGEST_GRACE);
        int followed = guests.announceStays(network.bookingSourceId(), departingAfter);
        if (before.isPresent() && !before.get().bookingSourceId().equals(network.bookingSourceId())) {
            followed += guests.announceStays(before.get().bookingSourceId(), departingAfter);
        }
        trail.record(AuditEvent.of("onboarding", "WIFI_NETWORK_CONFIGURED").by(actor).about("venue:" + network.venueId())
                .with("guestsFollowed", followed)
                .with("bookingSource", network.bookingSourceId()).with("kind", network.kind())
                .with("fromStartOfArrivalDay", network.policy().fromStartOfArrivalDay())
                .with("graceBeforeMinutes", network.policy().before().toMinutes())
                .with("graceAfterMinutes", network.policy().after().toMinutes())
                .with("merakiNetwork", network.meraki() == null ? null : network.meraki().networkId())
                .with("merakiSsid", network.meraki() == null ? null : network.meraki().ssidNumber())
                .with("radiusVendor", network.radiusVendor() == null ? null : network.radiusVendor().name()).build());
        return network;
    }

    @Transactional(TxType.SUPPORTS)
    public Optional<Network> of(String venueId) {
        return Jdbc.inConnection(dataSource, "onboarding", c -> store.network(c, venueId));
    }

    @Transactional(TxType.SUPPORTS)
    public List<Network> all() {
        return Jdbc.inConnection(dataSource, "onboarding", store::allNetworks);
    }
}
