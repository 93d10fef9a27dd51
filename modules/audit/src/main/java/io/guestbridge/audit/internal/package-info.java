/**
 * The hash-chained record store (JPA, tables {@code aud_*}), its verifier, and the compliance
 * endpoints that query and verify it.
 */
package io.guestbridge.audit.internal;
