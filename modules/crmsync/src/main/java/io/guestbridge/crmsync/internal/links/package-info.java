/**
 * Which CRM record is which guest, per connector, and the subject's part of it in access exports and erasure.
 */
package io.guestbridge.crmsync.internal.links;
