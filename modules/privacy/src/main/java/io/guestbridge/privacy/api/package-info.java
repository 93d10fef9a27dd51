/**
 * The privacy module's front door: the only package other modules may use.
 * <p>Data-subject requests (erasure, access, rectification, objection): verification, the data map, one persisted step per system on the work queue, the statutory clock, and the erased-subject suppression list that ingestion consults.
 */
package io.guestbridge.privacy.api;
