package io.guestbridge.privacy.internal.requests;

import io.guestbridge.platform.api.InstantConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * One system's part of a request. It starts PENDING (guestbridge works on it), AWAITING_OPERATOR (a person must act in a
 * system guestbridge cannot reach, by {@code taskDueAt}) or HELD (kept under Art. 17(3), the rationale as its evidence);
 * an open step is {@linkplain #confirm confirmed} or {@linkplain #fail failed} once, and an attempt that may be tried
 * again is {@linkplain #attemptFailed counted} on it. Every move is checked by {@link StepState#canMoveTo}: a replayed
 * work item finds its step ended and changes nothing.
 */
@Entity
@Table(name = "prv_step")
@IdClass(RequestStep.Key.class)
public class RequestStep {

    /** The step's key: its request and the data map's name of the system. */
    public static class Key implements Serializable {
        private static final long serialVersionUID = 1L;

        String requestId;
        String system;

        public Key() {
            // for JPA
        }

        public Key(String requestId, String system) {
            this.requestId = requestId;
            this.system = system;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.requestId.equals(requestId) && k.system.equals(system);
        }

        @Override
        public int hashCode() {
            return Objects.hash(requestId, system);
        }
    }

    @Id
    @Column(name = "request_id")
    private String requestId;

    @Id
    private String system;

    @Column(nullable = false, updatable = false)
    private String kind;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private StepState state;

    @Column(nullable = false)
    private int attempts;

    private String evidence;

    @Column(name = "confirmed_at")
    @Convert(converter = InstantConverter.class)
    private Instant confirmedAt;

    @Column(name = "task_due_at", updatable = false)
    @Convert(converter = InstantConverter.class)
    private Instant taskDueAt;

    protected RequestStep() {
        // for JPA
    }

    private RequestStep(String requestId, String system, String kind, StepState state, String evidence, Instant taskDueAt) {
        this.requestId = Objects.requireNonNull(requestId);
        this.system = Objects.requireNonNull(system);
        this.kind = Objects.requireNonNull(kind);
        this.state = state;
        this.evidence = RequestRecords.truncate(evidence);
        this.taskDueAt = taskDueAt;
    }

    /** A step guestbridge runs itself (this database, a CRM, Purple, a warehouse). */
    public static RequestStep pending(String requestId, String system, String kind) {
        return new RequestStep(requestId, system, kind, StepState.PENDING, null, null);
    }

    /** A step in a system without an API: a person does it and confirms it by {@code dueAt}. */
    public static RequestStep awaitingOperator(String requestId, String system, String kind, String task, Instant dueAt) {
        return new RequestStep(requestId, system, kind, StepState.AWAITING_OPERATOR, task, Objects.requireNonNull(dueAt));
    }

    /** A system whose data is kept under Art. 17(3); the rationale is what the subject is told. */
    public static RequestStep held(String requestId, String system, String kind, String rationale) {
        if (rationale == null || rationale.isBlank()) {
            throw new IllegalArgumentException("a held step says why the data is kept");
        }
        return new RequestStep(requestId, system, kind, StepState.HELD, rationale, null);
    }

    /**
     * A step as its row stands, read by SQL ({@link RequestRecords#stepRow}): not managed, its moves are written by
     * {@link RequestRecords#changeStep}'s compare-and-set.
     */
    static RequestStep row(String requestId, String system, String kind, StepState state, int attempts, String evidence, Instant confirmedAt,
                           Instant taskDueAt) {
        RequestStep step = new RequestStep(requestId, system, kind, state, evidence, taskDueAt);
        step.attempts = attempts;
        step.confirmedAt = confirmedAt;
        return step;
    }

    /** The system confirmed (or holds nothing of the subject); false, and nothing changed, when the step had ended already. */
    public boolean confirm(String evidence, Instant now) {
        return end(StepState.CONFIRMED, evidence, now);
    }

    /** Given up for good, with the reason the subject is told; false, and nothing changed, when the step had ended already. */
    public boolean fail(String reason) {
        return end(StepState.FAILED, reason, null);
    }

    /** How an attempt that will not be tried again ends the step: confirmed, or failed with its evidence. */
    public boolean end(boolean confirmed, String evidence, Instant now) {
        return confirmed ? confirm(evidence, now) : fail(evidence);
    }

    private boolean end(StepState next, String evidence, Instant now) {
        if (!state.canMoveTo(next)) {
            return false;
        }
        state = next;
        attempts++;
        this.evidence = RequestRecords.truncate(evidence);
        confirmedAt = next == StepState.CONFIRMED ? now : null;
        return true;
    }

    /** An attempt that may be tried again: counted, with what the system answered; only a pending step counts attempts. */
    public boolean attemptFailed(String evidence) {
        if (state != StepState.PENDING) {
            return false;
        }
        attempts++;
        this.evidence = RequestRecords.truncate(evidence);
        return true;
    }

    /** Whether guestbridge still has to run the step: only a pending step goes (back) on the work queue. */
    public boolean canResume() {
        return state == StepState.PENDING;
    }

    /** Whether the step waits for an operator's confirmation. */
    public boolean awaitsOperator() {
        return state == StepState.AWAITING_OPERATOR;
    }

    public String requestId() {
        return requestId;
    }

    public String system() {
        return system;
    }

    public String kind() {
        return kind;
    }

    public StepState state() {
        return state;
    }

    public int attempts() {
        return attempts;
    }

    public String evidence() {
        return evidence;
    }

    public Instant confirmedAt() {
        return confirmedAt;
    }

    public Instant taskDueAt() {
        return taskDueAt;
    }
}
