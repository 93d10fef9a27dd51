/**
 * The subjects' public side: intake, codes, status and export downloads, all held to the same rate limits whether or not an
 * address is known; proofs that an address is the subject's, for following a request or managing consents.
 */
package io.guestbridge.privacy.internal.portal;
