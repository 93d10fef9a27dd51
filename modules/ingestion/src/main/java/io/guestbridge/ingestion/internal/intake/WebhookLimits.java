package io.guestbridge.ingestion.internal.intake;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** How much a webhook request may carry, from configuration; the same for every endpoint that takes events. */
@ApplicationScoped
public class WebhookLimits {

    @Inject
    @ConfigProperty(name = "ingestion.max-body-bytes", defaultValue = "262144")
    int maxBodyBytes;

    @Inject
    @ConfigProperty(name = "ingestion.max-batch-body-bytes", defaultValue = "1048576")
    int maxBatchBodyBytes;

    @Inject
    @ConfigProperty(name = "ingestion.max-json-depth", defaultValue = "32")
    int maxJsonDepth;

    /** The largest body of one event (also after gzip). */
    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    /** The largest body of a batch of events. */
    public int maxBatchBodyBytes() {
        return maxBatchBodyBytes;
    }

    public int maxJsonDepth() {
        return maxJsonDepth;
    }
}
