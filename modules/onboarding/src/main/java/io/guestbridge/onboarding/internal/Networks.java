package io.guestbridge.onboarding.internal;

import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditTrail;
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

    /**
     * Sets the venue's network. Applies to the guests' next booking events: credentials already issued keep their
     * kind and window until their stays change.
     */
    @Transactional(TxType.MANDATORY)
    public Network configure(Network network, String actor) {
        Jdbc.inConnection(dataSource, "onboarding", c -> {
            store.saveNetwork(c, network, Instant.now());
            return null;
        });
        trail.record(AuditEvent.of("onboarding", "WIFI_NETWORK_CONFIGURED").by(actor).about("venue:" + network.venueId())
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
