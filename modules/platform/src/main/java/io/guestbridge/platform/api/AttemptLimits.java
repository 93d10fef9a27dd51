package io.guestbridge.platform.api;

import java.time.Duration;

/**
 * Counts attempts per actor (a client address, an email's hash) in fixed windows, in the database, so
 * that guessing is bounded: wrong source keys, wrong verification codes, unknown export links, and the
 * public intake itself. The counts survive a restart and are shared by every instance; the actor is
 * stored only as a keyed hash, never as the address or email itself.
 *
 * <p>An actor over a limit is refused every further attempt of that kind until its window ends,
 * including attempts that would have been right: a guesser learns nothing from the answers it gets while
 * blocked.
 */
public interface AttemptLimits {

    /** At most {@code max} attempts of one kind ({@code scope}) per actor in each {@code window}. */
    record Limit(String scope, int max, Duration window) {
        public Limit {
            if (max < 1 || window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("a limit needs max >= 1 and a positive window");
            }
        }
    }

    /**
     * Counts one attempt, committed on its own (a refused or rolled-back request still counts), and
     * refuses with a 429 problem carrying Retry-After once the actor is over the limit.
     */
    void count(Limit limit, String actor);

    /**
     * Refuses with a 429 problem when this instance has seen the actor go over the limit in the current
     * window. Cheap (no database access): meant for hot paths, before the attempt is tried.
     */
    void check(Limit limit, String actor);
}
