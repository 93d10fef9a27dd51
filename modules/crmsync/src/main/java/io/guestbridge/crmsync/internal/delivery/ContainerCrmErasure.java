package io.guestbridge.crmsync.internal.delivery;

import io.guestbridge.crmsync.api.CrmErasure;
import io.guestbridge.crmsync.internal.connectors.ConnectorSettings;
import io.guestbridge.crmsync.internal.connectors.Connectors;
import io.guestbridge.crmsync.internal.connectors.CrmAnswer;
import io.guestbridge.identity.api.NormalizedEmail;
import io.guestbridge.platform.api.ErasureResult;
import io.guestbridge.platform.api.RateBudget;
import io.guestbridge.platform.api.Redaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Erasure calls through each connector's client, drawing on the same request budget as the sync. The turns of several
 * calls are held in one transaction of the budget: three CRMs' takes a request, each its own transaction, were a sixth
 * of the machine's work in a burst of erasures.
 */
@ApplicationScoped
public class ContainerCrmErasure implements CrmErasure {

    @Inject
    Connectors connectors;

    @Inject
    CrmDelivery delivery;

    @Inject
    RateBudget budget;

    /**
     * A call's turn: the connector's settings and its budget moment ({@code held}); or, when the call cannot go, the
     * client's answer that it is not ready ({@code notReady}) or the reason there is no such connector ({@code refused}).
     */
    record HeldTurn(String connector, ConnectorSettings settings, RateBudget.Held held, CrmAnswer notReady, String refused) implements Turn {
    }

    @Override
    public List<String> connectors() {
        return connectors.enabled().stream().map(ConnectorSettings::name).toList();
    }

    @Override
    public List<Turn> turns(List<String> calls) {
        Map<String, Optional<ConnectorSettings>> settings = new HashMap<>();
        Map<String, Optional<CrmAnswer>> notReady = new HashMap<>();
        List<RateBudget.Rate> rates = new ArrayList<>(calls.size());
        for (String connector : calls) {
            Optional<ConnectorSettings> enabled = settings.computeIfAbsent(connector, c -> connectors.named(c).filter(ConnectorSettings::enabled));
            // as for the sync, the client gets ready (its access token) before the request takes its moment; once per connector
            if (enabled.isPresent() && notReady.computeIfAbsent(connector, c -> delivery.prepare(enabled.get())).isEmpty()) {
                rates.add(enabled.get().rate());
            }
        }
        // the same budget as the sync: a pacing gap of a moment is waited out by the call, a longer one hands the step
        // back to the queue until then, without counting as a failed attempt (erasure must never die of a budget)
        List<RateBudget.Held> held = rates.isEmpty() ? List.of() : budget.holdAll(rates, RateBudget.BRIEF_WAIT);
        List<Turn> turns = new ArrayList<>(calls.size());
        int next = 0;
        for (String connector : calls) {
            Optional<ConnectorSettings> enabled = settings.get(connector);
            if (enabled.isEmpty()) {
                turns.add(new HeldTurn(connector, null, null, null, "no enabled connector " + connector));
            } else if (notReady.get(connector).isPresent()) {
                turns.add(new HeldTurn(connector, enabled.get(), null, notReady.get(connector).get(), null));
            } else {
                turns.add(new HeldTurn(connector, enabled.get(), held.get(next++), null, null));
            }
        }
        return turns;
    }

    @Override
    public ErasureResult erase(Turn given, NormalizedEmail email) {
        HeldTurn turn = (HeldTurn) given;
        if (turn.refused() != null) {
            return new ErasureResult(false, false, turn.refused());
        }
        ConnectorSettings settings = turn.settings();
        if (turn.notReady() == null) {
            Optional<Duration> wait = budget.sendWaitingBriefly(turn.held());
            if (wait.isPresent()) {
                return new ErasureResult(false, true, "request budget of " + turn.connector() + " spent; next request in " + wait.get().toSeconds() + " s",
                        wait.get(), false);
            }
        }
        CrmAnswer answer = turn.notReady() != null ? turn.notReady() : delivery.erase(settings, email.value());
        if (answer.retryAfter() != null) {
            budget.holdOff(settings.rate(), answer.retryAfter()); // as for the sync: every instance waits, not only this step
        }
        if (answer.succeeded().containsKey(email.value().toLowerCase(Locale.ROOT))) {
            return new ErasureResult(true, false, "status " + answer.status() + ", " + Redaction.redact(answer.succeeded().get(email.value().toLowerCase(Locale.ROOT))));
        }
        String why = answer.problem() == null ? "not confirmed" : Redaction.redact(answer.problem());
        return new ErasureResult(false, answer.retryAfter() != null || !answer.permanent(), "status " + answer.status() + ": " + why, answer.retryAfter(), true);
    }
}
