package io.guestbridge.crmsync.api;

import io.guestbridge.platform.api.Roles;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The CRM connectors' health and dead letters for channels other than the JSON API (the console): the same reads,
 * the same replay and discard, the same checks and audit records as the management API's CRM resource, for the
 * same role ({@link #ROLES}). Every call names the person acting (their audit actor) and their roles; one without
 * an allowed role is refused with a forbidden {@code ProblemException} before anything happens.
 */
public interface CrmDesk {

    Set<String> ROLES = Set.of(Roles.OPERATOR);

    /**
     * A connector's state (UP, DEGRADED, DISABLED with its problems), its circuit (CLOSED, OPEN, HALF_OPEN), its last 15 minutes
     * and its request budget.
     */
    record ConnectorHealth(String connector, String type, String state, String circuit, List<String> problems, long records15m, long failed15m,
                           double errorRate15m, long createdToday, long updatedToday, long p50RequestMs, long p95RequestMs, RequestBudget budget) {
    }

    /**
     * A connector's request budget as every running instance shares it: requests allowed per window (sent one per window/N,
     * never in a burst) and per UTC day, how many of each are taken, and when each count starts again.
     *
     * @param windowResetsAt when the current window's count starts again; none when no request was taken in a window still open
     * @param dayResetsAt    the next midnight UTC, when the day's count starts again
     * @param nextRequestAt  the earliest moment the next request may go; none when one may go now
     */
    @Schema(name = "CrmRequestBudget", requiredProperties = {"requestsPerWindow", "windowMs", "usedInWindow", "requestsPerDay", "usedToday", "dayResetsAt"})
    record RequestBudget(int requestsPerWindow, @Schema(type = SchemaType.INTEGER, format = "int64") long windowMs, int usedInWindow, Instant windowResetsAt,
                         int requestsPerDay, int usedToday, Instant dayResetsAt, Instant nextRequestAt) {
    }

    /**
     * Contacts a CRM refused for good, waiting since they were first put in line: the guests' ids, never their data. One
     * contact as a rule; the contacts of a whole request when the CRM refused the request itself, or it kept failing.
     */
    record DeadLetter(long id, String connector, List<String> guests, int attempts, Instant waitingSince, String reason) {

        public DeadLetter {
            guests = List.copyOf(guests);
        }

        /** The guest, when the letter is one guest's. */
        public String guest() {
            return guests.size() == 1 ? guests.get(0) : null;
        }
    }

    List<ConnectorHealth> connectors(String actor, Set<String> roles);

    /** Oldest first, after the id {@code after} (0 to start); {@code limit} 1 to 500. */
    List<DeadLetter> deadLetters(String connector, long after, int limit, String actor, Set<String> roles);

    /** Sends the contact again (rebuilt from the current profile). Audited (CRM_DEAD_LETTER_REPLAYED). */
    void replay(String connector, long id, String actor, Set<String> roles);

    /** Audited (CRM_DEAD_LETTER_DISCARDED). */
    void discard(String connector, long id, String actor, Set<String> roles);
}
