package io.guestbridge.privacy.internal.requests;

import java.util.EnumSet;
import java.util.Set;

/**
 * The life of a request. Nothing runs before the subject's identity is verified; a request ends
 * completed, partially completed (a system refused for good, or a legal hold kept data), rejected,
 * cancelled (e.g. a duplicate of one already running) or expired (never verified). Every move is
 * checked here, so no code path can skip verification or reopen an ended request.
 */
public enum RequestState {
    RECEIVED, IDENTITY_UNVERIFIED, VERIFIED, AWAITING_APPROVAL, IN_PROGRESS, REQUIRES_INPUT,
    COMPLETED, PARTIALLY_COMPLETED, REJECTED, CANCELLED, EXPIRED;

    /** States in which the statutory clock runs and the DPO is answerable. */
    public static final Set<RequestState> OPEN = EnumSet.of(RECEIVED, IDENTITY_UNVERIFIED, VERIFIED, AWAITING_APPROVAL, IN_PROGRESS, REQUIRES_INPUT);

    /** States in which a second request of the same type for the same subject is a duplicate. */
    public static final Set<RequestState> RUNNING = EnumSet.of(VERIFIED, AWAITING_APPROVAL, IN_PROGRESS, REQUIRES_INPUT);

    boolean isOpen() {
        return OPEN.contains(this);
    }

    boolean canMoveTo(RequestState next) {
        return switch (this) {
            case RECEIVED -> next == IDENTITY_UNVERIFIED || next == VERIFIED;
            case IDENTITY_UNVERIFIED -> next == VERIFIED || next == EXPIRED || next == REJECTED || next == CANCELLED;
            case VERIFIED -> next == AWAITING_APPROVAL || next == IN_PROGRESS || next == CANCELLED;
            case AWAITING_APPROVAL -> next == IN_PROGRESS || next == REJECTED || next == CANCELLED;
            case IN_PROGRESS -> next == REQUIRES_INPUT || next == COMPLETED || next == PARTIALLY_COMPLETED;
            case REQUIRES_INPUT -> next == IN_PROGRESS || next == COMPLETED || next == PARTIALLY_COMPLETED;
            case COMPLETED, PARTIALLY_COMPLETED, REJECTED, CANCELLED, EXPIRED -> false;
        };
    }
}
