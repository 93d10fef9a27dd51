package io.guestbridge.ingestion.internal.inbox;

import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.ProblemException;
import io.guestbridge.platform.api.ProblemType;
import io.guestbridge.platform.api.Readiness;
import io.guestbridge.platform.api.WorkQueue;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.UserTransaction;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The durable inbox, written by group commit: requests hand their raw event to a writer, which
 * inserts everything that arrived since its last commit in one transaction (one multi-row INSERT and
 * one work item for the processors), commits, and only then completes each request's future, so a
 * sender's 2xx always means "committed in MariaDB". One commit (one log flush) serves many requests;
 * that is what makes durable acknowledgement cheap. The writer seals each body before it is written
 * ({@link InboxBodies}): no raw body reaches the database in clear.
 */
// plain JDBC, group commit: bench/intake measures it against one JPA transaction per request
@ApplicationScoped
public class Inbox {

    private static final Logger LOG = Logger.getLogger(Inbox.class.getName());

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Resource
    ManagedThreadFactory threads;

    @Inject
    UserTransaction transaction;

    @Inject
    WorkQueue queue;

    @Inject
    Readiness readiness;

    @Inject
    InboxBodies bodies;

    @Inject
    @ConfigProperty(name = "ingestion.inbox.max-batch", defaultValue = "256")
    int maxBatch;

    @Inject
    @ConfigProperty(name = "ingestion.inbox.writers", defaultValue = "1")
    int writerCount;

    @Inject
    @ConfigProperty(name = "ingestion.inbox.pending-limit", defaultValue = "20000")
    int pendingLimit;

    private BlockingQueue<Pending> pending;
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean open;
    private Readiness.Part readinessPart;

    /** One raw event as received; the body is exactly the bytes the sender sent (decompressed). */
    public record RawEvent(String sourceId, String contentType, byte[] body, String bodySha256, String deliveryId) {
    }

    private record Pending(RawEvent event, long receivedNanos, CompletableFuture<Long> committed) {
    }

    void start(@Observes Database.Ready ready) {
        readinessPart = readiness.part("ingestion-inbox");
        pending = new ArrayBlockingQueue<>(pendingLimit);
        open = true;
        for (int i = 0; i < writerCount; i++) {
            Thread writer = threads.newThread(this::writeLoop);
            writer.setName("inbox-writer-" + i);
            writer.start();
            writers.add(writer);
        }
        readinessPart.up();
    }

    @PreDestroy
    void stop() {
        if (readinessPart != null) {
            readinessPart.down("stopping");
        }
        open = false;
        writers.forEach(Thread::interrupt);
    }

    /**
     * Accepts an event for the inbox. The future completes with the inbox id once the event is
     * committed, or exceptionally with a 503 problem when it could not be (the sender must retry).
     */
    public CompletableFuture<Long> accept(RawEvent event) {
        CompletableFuture<Long> committed = new CompletableFuture<>();
        if (!open) {
            committed.completeExceptionally(unavailable("The inbox is not open yet (the database is starting); retry shortly."));
            return committed;
        }
        boolean queued;
        try {
            queued = pending.offer(new Pending(event, System.nanoTime(), committed), 2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            queued = false;
        }
        if (!queued) {
            committed.completeExceptionally(unavailable("The inbox is saturated; retry after a few seconds."));
        }
        return committed;
    }

    /**
     * Stores an event and waits until it is committed: the inbox id, or a 503 problem when it could not
     * be stored (the sender must retry). The request thread blocks here; group commit lets one commit
     * release many of them.
     */
    public long store(RawEvent event) {
        return await(accept(event));
    }

    /** Waits for commits of {@link #accept}ed events; a failure or a 30 s wait becomes a 503 problem. */
    public static <T> T await(CompletableFuture<T> committed) {
        try {
            return committed.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof ProblemException problem ? problem
                    : unavailable("The event could not be stored; nothing was kept. Retry later.");
        } catch (java.util.concurrent.TimeoutException e) {
            throw unavailable("The event was not committed within 30 s; retry (a retry is recognised as a duplicate if it was).");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("Interrupted while storing the event; retry.");
        }
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        while (open) {
            try {
                Pending first = pending.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                pending.drainTo(batch, maxBatch - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Pending> batch) {
        try {
            // sealed here, once per event, off the request threads; the day's key comes from the vault's cache
            LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
            List<InboxBodies.Sealed> sealed = new ArrayList<>(batch.size());
            for (Pending p : batch) {
                RawEvent e = p.event();
                sealed.add(bodies.seal(e.sourceId(), e.bodySha256(), e.body(), now.toLocalDate()));
            }
            transaction.begin();
            List<Long> ids = insert(batch, sealed, now);
            queue.publish(new InboxRowsReceived(ids));
            transaction.commit();
            // the senders' request threads wait on these futures: completing them only wakes those threads,
            // which write their own responses, so this writer goes straight back to the next group
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).committed().complete(ids.get(i));
            }
        } catch (Exception e) {
            rollbackQuietly();
            LOG.log(Level.WARNING, "inbox: a batch of " + batch.size() + " events was not committed: " + e.getClass().getName());
            ProblemException problem = unavailable("The event could not be stored; nothing was kept. Retry later.");
            batch.forEach(p -> p.committed().completeExceptionally(problem));
        }
    }

    private List<Long> insert(List<Pending> batch, List<InboxBodies.Sealed> sealed, LocalDateTime received) throws Exception {
        StringBuilder sql = new StringBuilder(
                "INSERT INTO ing_inbox (source_id, received_at, content_type, body, body_key, body_sha256, delivery_id) VALUES ");
        for (int i = 0; i < batch.size(); i++) {
            sql.append(i == 0 ? "(?,?,?,?,?,?,?)" : ",(?,?,?,?,?,?,?)");
        }
        sql.append(" RETURNING id");
        Timestamp now = Timestamp.valueOf(received);
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql.toString())) {
            io.guestbridge.platform.api.Jdbc.requireTransaction(c, "inbox");
            int p = 1;
            for (int i = 0; i < batch.size(); i++) {
                RawEvent e = batch.get(i).event();
                s.setString(p++, e.sourceId());
                s.setTimestamp(p++, now);
                s.setString(p++, e.contentType());
                s.setBytes(p++, sealed.get(i).body());
                s.setString(p++, sealed.get(i).keyRef());
                s.setString(p++, e.bodySha256());
                s.setString(p++, e.deliveryId());
            }
            List<Long> ids = new ArrayList<>(batch.size());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            if (ids.size() != batch.size()) {
                throw new IllegalStateException("the database returned " + ids.size() + " ids for " + batch.size() + " rows");
            }
            return ids;
        }
    }

    private void rollbackQuietly() {
        try {
            if (transaction.getStatus() != Status.STATUS_NO_TRANSACTION) {
                transaction.rollback();
            }
        } catch (Exception ignored) {
            // the transaction is gone either way
        }
    }

    private static ProblemException unavailable(String detail) {
        return new ProblemException(ProblemType.UNAVAILABLE, detail, Map.of("retryAfterSeconds", 5));
    }
}
