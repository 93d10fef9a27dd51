/**
 * The operators' view: each connector's state and figures, dead letters to replay or discard, readiness.
 */
package io.guestbridge.crmsync.internal.operations;
