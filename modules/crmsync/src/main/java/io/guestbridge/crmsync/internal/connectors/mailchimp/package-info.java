/**
 * Mailchimp: list members added or updated one request each, deleted permanently on erasure.
 */
package io.guestbridge.crmsync.internal.connectors.mailchimp;
