/**
 * The privacy center: the pages under {@code /privacy/} a guest uses alone, on a phone, in their language,
 * without an account. Rendered on the server and complete without JavaScript; everything they do goes
 * through the privacy module's {@code SubjectPortal}.
 */
package io.guestbridge.privacycenter.internal;
