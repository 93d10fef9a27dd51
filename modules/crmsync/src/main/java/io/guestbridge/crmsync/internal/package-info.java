/** The crmsync module's implementation: entities, persistence, workers and REST resources. No other module imports it. */
package io.guestbridge.crmsync.internal;
