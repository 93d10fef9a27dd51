package io.guestbridge.privacy.internal.steps;

import io.guestbridge.identity.api.NormalizedEmail;
import io.guestbridge.platform.api.Envelope;
import io.guestbridge.platform.api.ErasureResult;
import io.guestbridge.platform.api.WorkItem;
import io.guestbridge.platform.testing.ToldOutcomes;
import io.guestbridge.privacy.internal.requests.RequestRecords;
import io.guestbridge.privacy.internal.requests.RequestStep;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** How the step handler turns a batch of steps into attempts, recordings and outcomes; the steps' SQL is RequestStoreTest's and PrivacyIT's. */
class RequestStepHandlerTest {

    private static final String ONE = UUID.randomUUID().toString();
    private static final String TWO = UUID.randomUUID().toString();

    /** The steps as a fake: each system answers what {@code answers} says, and every call is written down. */
    static class Steps extends RequestSteps {
        final Map<String, ErasureResult> answers = new LinkedHashMap<>();
        final Map<String, List<RequestStep>> rows = new LinkedHashMap<>();
        final List<String> calls = new ArrayList<>();
        /** The calls of each attemptAll, by system. */
        final List<List<String>> attempted = new ArrayList<>();
        final List<List<Attempt>> recordings = new ArrayList<>();
        int addressesOpened;

        @Override
        public Optional<RequestRecords.StepsAndAddress> steps(String requestId) {
            calls.add("read " + requestId);
            List<RequestStep> steps = rows.get(requestId);
            return steps == null ? Optional.empty() : Optional.of(new RequestRecords.StepsAndAddress(steps, "sealed-" + requestId, Instant.EPOCH));
        }

        @Override
        public Supplier<NormalizedEmail> address(String requestId, String emailSealed) {
            NormalizedEmail[] opened = new NormalizedEmail[1];
            return () -> {
                if (opened[0] == null) {
                    addressesOpened++;
                    opened[0] = NormalizedEmail.parse("guest@example.com");
                }
                return opened[0];
            };
        }

        @Override
        public List<ErasureResult> attemptAll(List<ExternalSteps.Call> calls) {
            attempted.add(calls.stream().map(ExternalSteps.Call::system).toList());
            List<ErasureResult> results = new ArrayList<>();
            for (ExternalSteps.Call call : calls) {
                this.calls.add("call " + call.system() + " for " + call.email().get().value());
                results.add(answers.get(call.system()));
            }
            return results;
        }

        @Override
        public void runLocal(String requestId, WorkItem item) {
            calls.add("local " + requestId);
            if (requestId.equals(failingLocal)) {
                throw new IllegalStateException("lock wait timeout");
            }
        }

        String failingLocal;

        @Override
        public void record(String requestId, List<Attempt> attempts) {
            calls.add("record " + requestId);
            recordings.add(attempts);
        }
    }

    private static long ids;

    private static Envelope<StepDue> due(String request, String system) {
        long id = ++ids;
        return new Envelope<>(new WorkItem(id, "privacy-steps", null, "{}", 1, 0, "lease", Instant.now(), null), new StepDue(request, system));
    }

    private static RequestStepHandler handler(Steps steps) {
        RequestStepHandler handler = new RequestStepHandler();
        handler.steps = steps;
        return handler;
    }

    @Test
    void aRequestsStepsHandedOverTogetherAreReadOnceAttemptedTogetherAndRecordedInOneTransaction() {
        Steps steps = new Steps();
        steps.rows.put(ONE, List.of(RequestStep.pending(ONE, "hubspot", "CRM"), RequestStep.pending(ONE, "purple", "PURPLE"),
                RequestStep.pending(ONE, "salesforce", "CRM"), RequestStep.pending(ONE, "warehouse", "JDBC")));
        steps.answers.put("hubspot", ErasureResult.confirmed("status 204"));
        steps.answers.put("purple", ErasureResult.retry("status 503"));
        steps.answers.put("salesforce", new ErasureResult(false, true, "budget spent", Duration.ofSeconds(4), false));
        steps.answers.put("warehouse", ErasureResult.refused("table guest_facts does not exist"));
        List<Envelope<StepDue>> batch = List.of(due(ONE, "hubspot"), due(ONE, "purple"), due(ONE, "salesforce"), due(ONE, "warehouse"));
        ToldOutcomes outcomes = new ToldOutcomes();

        handler(steps).handle(batch, outcomes);

        assertEquals("read " + ONE, steps.calls.get(0));
        assertEquals(List.of(List.of("hubspot", "purple", "salesforce", "warehouse")), steps.attempted, "the four calls made together");
        assertEquals("record " + ONE, steps.calls.get(5));
        assertEquals(1, steps.addressesOpened, "the address is opened once for the request");
        assertEquals(1, steps.recordings.size());
        assertEquals(List.of("hubspot", "purple", "salesforce", "warehouse"), steps.recordings.get(0).stream().map(RequestSteps.Attempt::system).toList());
        assertEquals(List.of("DONE", "RETRY status 503", "AFTER PT4S budget spent", "DEAD table guest_facts does not exist"),
                batch.stream().map(d -> outcomes.byItem.get(d.item().id())).toList(), "each step's item keeps its own outcome");
    }

    @Test
    void aStepEndedBeforeIsNotCalledAgainButRecordedSoThatItsRequestCanEnd_andRequestsAreRecordedApart() {
        Steps steps = new Steps();
        RequestStep confirmed = RequestStep.pending(ONE, "hubspot", "CRM");
        confirmed.confirm("status 204", Instant.now());
        steps.rows.put(ONE, List.of(confirmed));
        steps.rows.put(TWO, List.of(RequestStep.pending(TWO, "hubspot", "CRM")));
        steps.answers.put("hubspot", ErasureResult.confirmed("status 204"));
        List<Envelope<StepDue>> batch = List.of(due(ONE, "hubspot"), due(TWO, "hubspot"), due(TWO, "local"));
        ToldOutcomes outcomes = new ToldOutcomes();

        handler(steps).handle(batch, outcomes);

        assertEquals(List.of("read " + ONE, "local " + TWO, "read " + TWO, "call hubspot for guest@example.com", "record " + ONE, "record " + TWO),
                steps.calls, "no call for the step that ended before; a request's local step before its others; each request recorded on its own");
        assertNull(steps.recordings.get(0).get(0).result(), "recorded as ended before");
        assertEquals(List.of("DONE", "DONE", "DONE"), batch.stream().map(d -> outcomes.byItem.get(d.item().id())).toList());
    }

    @Test
    void theCallsOfEveryRequestInABatchAreMadeTogether_andALocalStepThatFailsHoldsBackOnlyItsRequest() {
        String three = UUID.randomUUID().toString();
        Steps steps = new Steps();
        steps.failingLocal = TWO;
        steps.rows.put(ONE, List.of(RequestStep.pending(ONE, "hubspot", "CRM"), RequestStep.pending(ONE, "purple", "PURPLE")));
        steps.rows.put(three, List.of(RequestStep.pending(three, "hubspot", "CRM")));
        steps.answers.put("hubspot", ErasureResult.confirmed("status 204"));
        steps.answers.put("purple", ErasureResult.retry("status 503"));
        List<Envelope<StepDue>> batch = List.of(due(ONE, "hubspot"), due(TWO, "local"), due(TWO, "hubspot"), due(ONE, "purple"),
                due(three, "local"), due(three, "hubspot"));
        ToldOutcomes outcomes = new ToldOutcomes();

        handler(steps).handle(batch, outcomes);

        assertEquals(List.of(List.of("hubspot", "purple", "hubspot")), steps.attempted, "one attempt for the two requests' three calls");
        assertEquals(List.of("record " + ONE, "record " + three), steps.calls.subList(steps.calls.size() - 2, steps.calls.size()));
        assertEquals(List.of("hubspot", "purple"), steps.recordings.get(0).stream().map(RequestSteps.Attempt::system).toList());
        assertEquals(List.of("DONE", "RETRY IllegalStateException", "RETRY IllegalStateException", "RETRY status 503", "DONE", "DONE"),
                batch.stream().map(d -> outcomes.byItem.get(d.item().id())).toList(), "the request whose local step failed is tried again, alone");
    }

    @Test
    void aBudgetWaitAloneIsNotRecorded_andARequestThatFailsDoesNotHoldBackTheOthers() {
        Steps steps = new Steps() {
            @Override
            public Optional<RequestRecords.StepsAndAddress> steps(String requestId) {
                if (requestId.equals(ONE)) {
                    throw new IllegalStateException("connection reset");
                }
                return super.steps(requestId);
            }
        };
        steps.rows.put(TWO, List.of(RequestStep.pending(TWO, "hubspot", "CRM")));
        steps.answers.put("hubspot", new ErasureResult(false, true, "budget spent", Duration.ofSeconds(2), false));
        List<Envelope<StepDue>> batch = List.of(due(ONE, "hubspot"), due(TWO, "hubspot"));
        ToldOutcomes outcomes = new ToldOutcomes();

        handler(steps).handle(batch, outcomes);

        assertEquals(List.of(), steps.recordings, "nothing happened to record");
        assertEquals(List.of("RETRY IllegalStateException", "AFTER PT2S budget spent"),
                batch.stream().map(d -> outcomes.byItem.get(d.item().id())).toList());
    }
}
