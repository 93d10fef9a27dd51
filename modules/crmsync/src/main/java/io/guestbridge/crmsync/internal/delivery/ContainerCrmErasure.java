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

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Erasure calls through each connector's client, drawing on the same request budget as the sync. */
@ApplicationScoped
public class ContainerCrmErasure implements CrmErasure {

    @Inject
    Connectors connectors;

    @Inject
    CrmDelivery delivery;

    @Inject
    RateBudget budget;

    @Override
    public List<String> connectors() {
        return connectors.enabled().stream().map(ConnectorSettings::name).toList();
    }

    @Override
    public ErasureResult erase(String connector, NormalizedEmail email) {
        Optional<ConnectorSettings> settings = connectors.named(connector).filter(ConnectorSettings::enabled);
        if (settings.isEmpty()) {
            return new ErasureResult(false, false, "no enabled connector " + connector);
        }
        // as for the sync, the client gets ready (its access token) before the request takes its moment
        Optional<CrmAnswer> notReady = delivery.prepare(settings.get());
        // the same budget as the sync: a pacing gap of a moment is waited out here, a longer one hands the step
        // back to the queue until then, without counting as a failed attempt (erasure must never die of a budget)
        Optional<java.time.Duration> wait = notReady.isPresent() ? Optional.empty() : budget.takeWaitingBriefly(settings.get().rate());
        if (wait.isPresent()) {
            return new ErasureResult(false, true, "request budget of " + connector + " spent; next request in " + wait.get().toSeconds() + " s",
                    wait.get(), false);
        }
        CrmAnswer answer = notReady.isPresent() ? notReady.get() : delivery.erase(settings.get(), email.value());
        if (answer.retryAfter() != null) {
            budget.holdOff(settings.get().rate(), answer.retryAfter()); // as for the sync: every instance waits, not only this step
        }
        if (answer.succeeded().containsKey(email.value().toLowerCase(Locale.ROOT))) {
            return new ErasureResult(true, false, "status " + answer.status() + ", " + Redaction.redact(answer.succeeded().get(email.value().toLowerCase(Locale.ROOT))));
        }
        String why = answer.problem() == null ? "not confirmed" : Redaction.redact(answer.problem());
        return new ErasureResult(false, answer.retryAfter() != null || !answer.permanent(), "status " + answer.status() + ": " + why, answer.retryAfter(), true);
    }
}
