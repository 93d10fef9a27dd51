/**
 * Retention that runs by itself: every module's purges on their policies, the server's log files, and inactive guest profiles
 * erased through system-initiated erasure requests; the policies and last runs for staff.
 */
package io.guestbridge.privacy.internal.retention;
