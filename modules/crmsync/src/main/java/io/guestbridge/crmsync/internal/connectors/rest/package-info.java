/**
 * A generic REST endpoint or webhook, signed per Standard Webhooks, for CRMs reached through middleware.
 */
package io.guestbridge.crmsync.internal.connectors.rest;
