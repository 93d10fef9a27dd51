package io.guestbridge.privacy.internal.steps;

import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditTrail;
import io.guestbridge.platform.api.WorkQueue;
import io.guestbridge.privacy.internal.requests.RequestRecords;
import io.guestbridge.privacy.internal.requests.RequestStep;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A resumed step goes back on the queue in its request's place: due since the request came, as its first run was. */
class RequestStepsResumeTest {

    private static final String REQUEST = UUID.randomUUID().toString();
    private static final Instant RECEIVED = Instant.parse("2026-11-20T08:15:00Z");

    /** The calls made on the queue and the trail, written down. */
    private final List<String> calls = new ArrayList<>();

    private RequestSteps steps(List<RequestStep> rows) {
        RequestSteps steps = new RequestSteps() {
            @Override
            public Optional<RequestRecords.StepsAndAddress> steps(String requestId) {
                return requestId.equals(REQUEST) ? Optional.of(new RequestRecords.StepsAndAddress(rows, "sealed", RECEIVED)) : Optional.empty();
            }
        };
        steps.queue = (WorkQueue) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{WorkQueue.class}, (self, method, args) -> {
            calls.add(method.getName() + " " + List.of(args));
            return null;
        });
        steps.trail = (AuditTrail) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{AuditTrail.class}, (self, method, args) -> {
            AuditEvent event = (AuditEvent) args[0];
            calls.add(method.getName() + " " + event.action() + " " + event.subjectRef() + " " + event.details());
            return null;
        });
        return steps;
    }

    @Test
    void aPendingStepIsDueSinceItsRequestCame() {
        RequestSteps steps = steps(List.of(RequestStep.pending(REQUEST, "hubspot", "CRM")));

        assertTrue(steps.resume(REQUEST, "hubspot", "operator:olga"));

        assertEquals(List.of("publishDueSince [" + new StepDue(REQUEST, "hubspot") + ", " + RECEIVED + "]",
                "record PRIVACY_STEP_RESUMED privacy-request:" + REQUEST + " {system=hubspot}"), calls);
    }

    @Test
    void aConfirmedStepOrAnUnknownOneIsNotResumed() {
        RequestStep confirmed = RequestStep.pending(REQUEST, "hubspot", "CRM");
        confirmed.confirm("status 204", Instant.now());
        RequestSteps steps = steps(List.of(confirmed));

        assertFalse(steps.resume(REQUEST, "hubspot", "operator:olga"));
        assertFalse(steps.resume(REQUEST, "salesforce", "operator:olga"));
        assertFalse(steps.resume(UUID.randomUUID().toString(), "hubspot", "operator:olga"));
        assertEquals(List.of(), calls, "nothing published, nothing recorded");
    }
}
