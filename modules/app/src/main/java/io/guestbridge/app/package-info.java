/**
 * Assembles the modules into one WAR: the JAX-RS application with its security, the data source and
 * schema migrations, health checks. Business logic lives in the modules, not here.
 */
package io.guestbridge.app;
