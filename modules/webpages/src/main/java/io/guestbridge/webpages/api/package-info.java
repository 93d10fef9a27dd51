/**
 * The mechanisms of guestbridge's server-rendered pages: templates rendered in the reader's language, the
 * headers that forbid script, framing and other origins, and single-use form tokens against forged posts.
 */
package io.guestbridge.webpages.api;
