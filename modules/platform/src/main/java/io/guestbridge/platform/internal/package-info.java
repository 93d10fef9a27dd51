/** Implementations of the platform mechanisms: JDBC work queue and its workers, exception mappers, log redaction. */
package io.guestbridge.platform.internal;
