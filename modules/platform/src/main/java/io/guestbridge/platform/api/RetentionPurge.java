package io.guestbridge.platform.api;

import java.time.Duration;
import java.time.Instant;

/**
 * A module's part of retention: deletes one category of its own data once it is older than the category's
 * retention, a bounded batch per call. Implemented by each module for its own tables and run on schedule by the
 * privacy module's retention runner, which audits the counts and keeps the last runs. It lives here, at the
 * bottom, so that modules the privacy module depends on can take part without depending on it.
 */
public interface RetentionPurge {

    /** The category's name in configuration ({@code retention.<category>.days}) and in the audit trail, e.g. {@code crm-dedup-keys}. */
    String category();

    /** What is purged, for the retention overview (no personal data). */
    String description();

    /** How long the data is kept when configuration says nothing. */
    Duration defaultRetention();

    /** Deletes at most {@code limit} items older than {@code cutoff} inside the caller's transaction; returns how many went. */
    int purge(Instant cutoff, int limit);
}
