package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.RateBudget;
import io.guestbridge.platform.api.TransientDatabaseException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionalException;
import org.eclipse.microprofile.faulttolerance.Retry;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * {@link RateBudget} on a row per channel in {@code plt_rate_budget}. Every sending thread of every instance takes
 * from the same row, so a take may meet a deadlock or a lock wait timeout: it is taken again in a new transaction
 * (the retry wraps {@link RateBudgetRow}'s transaction, which a retry inside it could not undo). So is a take whose
 * commit failed: on a Galera cluster, two instances writing the row through two nodes (after a node came back, old
 * connections stay on the other) meet at their commits, and the cluster refuses one of them. Taking again is safe
 * whatever became of the failed commit: a take counted twice only spaces the next request further, never closer.
 *
 * <p>A take is paced from the moment it was taken, but its request leaves only once the take has committed: on a
 * Galera cluster the commit waits for certification, and on busy cores for the thread. A take that came back later
 * than its rate's {@link Rate#sendWithin()} is answered as a wait for the next one instead: sent now, it would arrive
 * closer to the next request than the pacing allows for, and the receiver would count one too many in a window.
 * Not more than {@link #LATE_TAKES_NOT_SENT} in a row, though: commits that are always that slow are the cluster's
 * pace, not a slow moment, and discarding every take would send nothing at all; the next one goes, with a warning
 * that the rate's leeway is too small for this database.
 *
 * <p>A take that holds a moment ahead ({@link #take(Rate, Duration)}) commits first and then waits for its moment in
 * the caller's thread: the request goes at that moment, and one whose commit came back after it is judged late as
 * any other.
 *
 * <p>Moments held together ({@link #holdAll}) are taken in one transaction, rows locked in the channels' order (two
 * holders of the same channels then queue for them instead of deadlocking), and each is sent as a take's would be, by
 * {@link #send} in its request's thread: the checks above apply to each moment, from the moment it is sent.
 *
 * <p>A hold-off (a receiver's Retry-After) acts in this instance the moment it is told, before its row commits: a take
 * that comes back while the row's hold-off is still on its way (one sender read the 429 and writes the row, another
 * sender's take had just been answered) is not sent, and takes until the hold-off ends are answered without a round
 * trip. The row tells the other instances, once it commits.
 */
@ApplicationScoped
public class DatabaseRateBudget implements RateBudget {

    private static final Logger LOG = Logger.getLogger(DatabaseRateBudget.class.getName());

    @Inject
    RateBudgetRow row;

    /** This instance's clock, the one the row's take read its moment from. */
    Supplier<Instant> clock = Instant::now;

    /** Late takes in a row on one channel that are not sent; the one after them is. */
    static final int LATE_TAKES_NOT_SENT = 3;

    private final Map<String, AtomicInteger> lateInARow = new ConcurrentHashMap<>();

    /** Until when a channel is held off by what this instance was told, from before the row's hold-off commits. */
    private final Map<String, Instant> heldOffUntil = new ConcurrentHashMap<>();

    @Override
    // maxDuration in the delay's unit: Payara compares the two numbers without their units
    @Retry(retryOn = TransientDatabaseException.class, maxRetries = 3, delay = 100, jitter = 50, delayUnit = ChronoUnit.MILLIS,
            maxDuration = 5_000, durationUnit = ChronoUnit.MILLIS)
    public Optional<Duration> take(Rate rate, Duration ahead) {
        return send(hold(List.of(rate), ahead).get(0));
    }

    @Override
    @Retry(retryOn = TransientDatabaseException.class, maxRetries = 3, delay = 100, jitter = 50, delayUnit = ChronoUnit.MILLIS,
            maxDuration = 5_000, durationUnit = ChronoUnit.MILLIS)
    public List<Held> holdAll(List<Rate> rates, Duration ahead) {
        return hold(rates, ahead);
    }

    /** The moments of {@code rates} from their rows, in one transaction; a channel held off here is answered without a round trip. */
    private List<Held> hold(List<Rate> rates, Duration ahead) {
        Held[] held = new Held[rates.size()];
        List<Rate> toTake = new ArrayList<>(rates.size());
        for (int i = 0; i < held.length; i++) {
            Optional<Duration> heldOff = heldOff(rates.get(i), clock);
            if (heldOff.isPresent()) {
                held[i] = new Held(rates.get(i), null, heldOff.get()); // not taken: the receiver said when it takes requests again
            } else {
                toTake.add(rates.get(i));
            }
        }
        if (!toTake.isEmpty()) {
            List<RateBudgetRow.Answer> answers;
            try {
                answers = row.takeAll(toTake, ahead);
            } catch (TransactionalException e) {
                throw new TransientDatabaseException("a take from the rate budget could not commit", e);
            }
            int next = 0;
            for (int i = 0; i < held.length; i++) {
                if (held[i] == null) {
                    RateBudgetRow.Answer answer = answers.get(next++);
                    held[i] = new Held(rates.get(i), answer.takenAt(), answer.delay());
                }
            }
        }
        return List.of(held);
    }

    @Override
    public Optional<Duration> send(Held held) {
        if (held.delay() != null) {
            return Optional.of(held.delay());
        }
        Rate rate = held.rate();
        Instant now = clock.get();
        if (now.isBefore(held.at())) {
            // a moment held ahead: the request goes at it, not before (the next taker's moment is a spacing after it)
            Duration early = Duration.between(now, held.at());
            try {
                Thread.sleep(early.toMillis(), early.toNanosPart() % 1_000_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.of(early); // spent, not sent: the caller is being stopped
            }
            // a thread that woke late (a busy core, a collector's pause) is as late as a slow commit
            now = clock.get();
        }
        Instant sendAt = now;
        Optional<Duration> heldOff = heldOff(rate, () -> sendAt);
        if (heldOff.isPresent()) {
            return heldOff; // spent, not sent: the receiver refused another sender's request while this take was on its way
        }
        if (rate.sendWithin().isZero()) {
            return Optional.empty();
        }
        Duration late = Duration.between(held.at(), now);
        AtomicInteger inARow = lateInARow.computeIfAbsent(rate.channel(), c -> new AtomicInteger());
        if (late.compareTo(rate.sendWithin()) <= 0) {
            inARow.set(0);
            return Optional.empty();
        }
        if (inARow.incrementAndGet() > LATE_TAKES_NOT_SENT) {
            inARow.set(0);
            LOG.warning(() -> "rate budget '" + rate.channel() + "': a take came back " + late.toMillis() + " ms after it was taken, after "
                    + LATE_TAKES_NOT_SENT + " late ones before it; sent: the rate's leeway is too small for this database's commits");
            return Optional.empty();
        }
        // spent, not sent: the next take is a spacing after this one, as for any other
        Duration next = Duration.between(now, held.at().plus(rate.spacing()));
        LOG.info(() -> "rate budget '" + rate.channel() + "': a take came back " + late.toMillis() + " ms after it was taken (more than "
                + rate.sendWithin().toMillis() + " ms); not sent, taken again");
        return Optional.of(next.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : next);
    }

    @Override
    @Retry(retryOn = TransientDatabaseException.class, maxRetries = 3, delay = 100, jitter = 50, delayUnit = ChronoUnit.MILLIS,
            maxDuration = 5_000, durationUnit = ChronoUnit.MILLIS)
    public void holdOff(Rate rate, Duration delay) {
        if (delay.isNegative() || delay.isZero()) {
            return;
        }
        heldOffUntil.merge(rate.channel(), clock.get().plus(delay), (held, told) -> held.isAfter(told) ? held : told);
        try {
            row.holdOff(rate, delay);
        } catch (TransactionalException e) {
            throw new TransientDatabaseException("a hold-off of the rate budget could not commit", e);
        }
    }

    private Optional<Duration> heldOff(Rate rate, Supplier<Instant> now) {
        Instant until = heldOffUntil.get(rate.channel());
        if (until == null) {
            return Optional.empty();
        }
        Instant at = now.get();
        return at.isBefore(until) ? Optional.of(Duration.between(at, until)) : Optional.empty();
    }

    @Override
    public Use use(Rate rate) {
        return row.use(rate);
    }
}
