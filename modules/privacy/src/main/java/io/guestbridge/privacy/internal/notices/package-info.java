/**
 * The mail about requests: one-time codes and notices to the subject in their language, escalations to the DPO, and the
 * erasure notice to sponsors that received the guest; queued in the transaction of the change they report and sent from the
 * work queue.
 */
package io.guestbridge.privacy.internal.notices;
