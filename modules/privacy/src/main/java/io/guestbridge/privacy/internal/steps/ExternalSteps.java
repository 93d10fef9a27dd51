package io.guestbridge.privacy.internal.steps;

import io.guestbridge.crmsync.api.CrmErasure;
import io.guestbridge.identity.api.NormalizedEmail;
import io.guestbridge.platform.api.ErasureResult;
import io.guestbridge.privacy.internal.datamap.DataMap;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * One attempt at a step in another system of the data map: the CRMs through crmsync, Purple, a warehouse. Called outside
 * any transaction (it waits on the network); {@link RequestSteps#record} keeps what it came to.
 */
@ApplicationScoped
class ExternalSteps {

    @Inject
    DataMap dataMap;

    @Inject
    CrmErasure crms;

    @Inject
    PurpleErasure purple;

    @Inject
    WarehouseErasure warehouse;

    /** {@code email} is opened only when the system is still in the data map. */
    ErasureResult attempt(String system, Supplier<NormalizedEmail> email) {
        Optional<DataMap.Entry> entry = dataMap.system(system);
        if (entry.isEmpty()) {
            return ErasureResult.refused("the system is no longer in the data map");
        }
        NormalizedEmail address = email.get();
        try {
            return switch (entry.get().kind()) {
                case CRM -> crms.erase(system, address);
                case PURPLE -> purple.erase(entry.get(), address);
                case JDBC -> warehouse.erase(entry.get(), address);
                case LOCAL, MANUAL -> ErasureResult.refused("not a step that runs by itself");
            };
        } catch (IllegalStateException e) {
            return ErasureResult.refused(e.getMessage()); // a setting missing from the data map: the operator must act
        }
    }
}
