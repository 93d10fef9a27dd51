package io.guestbridge.privacy.internal.steps;

import io.guestbridge.crmsync.api.CrmErasure;
import io.guestbridge.identity.api.NormalizedEmail;
import io.guestbridge.platform.api.ErasureResult;
import io.guestbridge.privacy.internal.datamap.DataMap;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Attempts at steps in other systems of the data map: the CRMs through crmsync, Purple, a warehouse. Called outside any
 * transaction (they wait on the network); {@link RequestSteps#record} keeps what they came to.
 *
 * <p>A worker's batch of steps is attempted together: the CRM calls' turns at their request budgets are held in one
 * transaction, then each system's calls go one after another while the systems go side by side ({@link SideBySide}).
 * A batch then takes as long as its slowest system, and a system is never sent more calls at once than the queue has
 * workers (Mailchimp refuses an account's eleventh connection).
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

    @Inject
    SideBySide sideBySide;

    /** One attempt to make: the system, and the subject's address, opened only if the system is still in the data map. */
    record Call(String system, Supplier<NormalizedEmail> email) {
    }

    /**
     * What each of {@code calls} came to, in their order. A call that threw is an attempt that failed, worth another: its
     * exception's name is the evidence (never a message, which may hold an address).
     */
    List<ErasureResult> attemptAll(List<Call> calls) {
        ErasureResult[] results = new ErasureResult[calls.size()];
        // each system looked up once for the batch, however many of its requests call it
        Map<String, Optional<DataMap.Entry>> known = new HashMap<>();
        List<Optional<DataMap.Entry>> entries = calls.stream().map(call -> known.computeIfAbsent(call.system(), dataMap::system)).toList();
        CrmErasure.Turn[] turns = new CrmErasure.Turn[calls.size()];
        List<Integer> crmCalls = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            if (entries.get(i).filter(e -> e.kind() == DataMap.Kind.CRM).isPresent()) {
                crmCalls.add(i);
            }
        }
        if (!crmCalls.isEmpty()) {
            try {
                List<CrmErasure.Turn> held = crms.turns(crmCalls.stream().map(i -> calls.get(i).system()).toList());
                for (int k = 0; k < crmCalls.size(); k++) {
                    turns[crmCalls.get(k)] = held.get(k);
                }
            } catch (RuntimeException e) {
                crmCalls.forEach(i -> results[i] = failed(e)); // no turn, no call: each of them an attempt to make again
            }
        }
        Map<String, List<Integer>> bySystem = new LinkedHashMap<>();
        for (int i = 0; i < calls.size(); i++) {
            if (results[i] == null) {
                bySystem.computeIfAbsent(calls.get(i).system(), s -> new ArrayList<>()).add(i);
            }
        }
        // each system's calls one after another in one thread; the threads' results land in their own places of the array,
        // read after each thread's end was waited for
        sideBySide.run(bySystem.values().stream().<Supplier<Void>>map(indexes -> () -> {
            for (int i : indexes) {
                try {
                    results[i] = attempt(entries.get(i), calls.get(i).email(), turns[i]);
                } catch (RuntimeException e) {
                    results[i] = failed(e);
                }
            }
            return null;
        }).toList(), e -> null);
        for (int i = 0; i < results.length; i++) {
            if (results[i] == null) {
                results[i] = ErasureResult.retry("not attempted"); // a thread that ended without its answer: never seen, but never lost
            }
        }
        return List.of(results);
    }

    private static ErasureResult failed(RuntimeException e) {
        return ErasureResult.retry(e.getClass().getSimpleName());
    }

    /** One attempt, with the CRM call's {@code turn} at its budget; {@code email} is opened only when the system is still in the data map. */
    private ErasureResult attempt(Optional<DataMap.Entry> entry, Supplier<NormalizedEmail> email, CrmErasure.Turn turn) {
        if (entry.isEmpty()) {
            return ErasureResult.refused("the system is no longer in the data map");
        }
        NormalizedEmail address = email.get();
        try {
            return switch (entry.get().kind()) {
                case CRM -> crms.erase(turn, address);
                case PURPLE -> purple.erase(entry.get(), address);
                case JDBC -> warehouse.erase(entry.get(), address);
                case LOCAL, MANUAL -> ErasureResult.refused("not a step that runs by itself");
            };
        } catch (IllegalStateException e) {
            return ErasureResult.refused(e.getMessage()); // a setting missing from the data map: the operator must act
        }
    }
}
