package io.guestbridge.ingestion.internal.processing;

import io.guestbridge.ingestion.internal.inbox.InboxRowsReceived;
import io.guestbridge.platform.api.Envelope;
import io.guestbridge.platform.api.WorkHandler;
import io.guestbridge.platform.api.WorkItem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The worker side of the inbox: each work item names the rows one group commit stored. They are
 * processed in chunks, one transaction each; a chunk that fails is retried row by row, so one bad row
 * cannot hold up its neighbours, and a row that keeps failing goes to quarantine after a few attempts.
 */
@ApplicationScoped
public class InboxProcessor implements WorkHandler<InboxRowsReceived> {

    private static final Logger LOG = Logger.getLogger(InboxProcessor.class.getName());
    private static final int QUARANTINE_AFTER_ATTEMPTS = 3;

    @Inject
    EventProcessing processing;

    @Inject
    @ConfigProperty(name = "ingestion.processing.chunk", defaultValue = "128")
    int chunkSize;


    @Override
    public Class<InboxRowsReceived> type() {
        return InboxRowsReceived.class;
    }

    @Override
    public String queue() {
        return "ingestion-inbox";
    }

    @Override
    public int batchSize() {
        // each item holds the rows of one group commit (often only a few under moderate load): taking many
        // items at once lets one transaction process many rows, and commits (log flushes) are the cost
        return 32;
    }

    @Override
    public int concurrency() {
        // one worker per core but one: a worker spends much of a chunk waiting for the database and chunks rarely
        // share a row, so more workers drain faster where there are cores to spare; the core left over is intake's,
        // since the inbox exists to acknowledge a burst at once (on 2 cores in bench/processing a second worker took
        // intake from 1,178 to 740 acks/s and processed 622 events/s end to end where one processed 616). Two chunks
        // that meet on one new guest wait at its row and the second finds the guest the first created (INSERT IGNORE)
        return Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
    }

    @Override
    public void handle(List<Envelope<InboxRowsReceived>> envelopes, Outcomes outcomes) {
        List<WorkItem> batch = envelopes.stream().map(Envelope::item).toList();
        List<Long> ids = new ArrayList<>();
        envelopes.forEach(rows -> ids.addAll(rows.message().inbox()));
        int attempts = batch.stream().mapToInt(WorkItem::attempts).max().orElse(1);
        boolean failed = false;
        boolean completed = false;
        for (int from = 0; from < ids.size(); from += chunkSize) {
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + chunkSize));
            boolean last = from + chunkSize >= ids.size();
            try {
                if (last && !failed) {
                    // every earlier chunk is finished: the items go with the last one's commit
                    processing.processAndComplete(chunk, batch);
                    completed = true;
                } else {
                    processing.process(chunk);
                }
            } catch (RuntimeException chunkFailure) {
                failed |= oneByOne(chunk, attempts);
            }
        }
        if (failed) {
            // rows already finished are skipped when the items come back
            batch.forEach(item -> outcomes.retry(item, "some inbox rows failed to process; they are retried"));
        } else {
            if (!completed) {
                processing.complete(batch);
            }
            batch.forEach(outcomes::done);
        }
    }

    /** True when some row still failed (it stays RECEIVED and the item is retried). */
    private boolean oneByOne(List<Long> chunk, int attempts) {
        boolean failed = false;
        for (Long id : chunk) {
            try {
                processing.process(List.of(id));
            } catch (RuntimeException e) {
                String what = rootCause(e);
                if (attempts >= QUARANTINE_AFTER_ATTEMPTS) {
                    LOG.log(Level.WARNING, "inbox row " + id + " failed " + attempts + " times (" + what + "); quarantined", e);
                    processing.quarantineFailure(id, what);
                } else {
                    LOG.log(Level.INFO, "inbox row " + id + " failed (" + what + "); retried with backoff");
                    failed = true;
                }
            }
        }
        return failed;
    }

    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName();
    }
}
