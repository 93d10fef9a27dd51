/**
 * The console: sign-in through the enterprise's OpenID Connect provider (or, with none configured, the launcher's
 * one-time development links), the console's own sessions, and the pages, each calling a module's api with the
 * person signed in as the actor.
 */
package io.guestbridge.console.internal;
