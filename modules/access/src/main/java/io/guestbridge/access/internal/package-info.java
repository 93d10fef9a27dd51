/** The access module's implementation: the token filter, the revocation list and its endpoint. No other module imports it. */
package io.guestbridge.access.internal;
