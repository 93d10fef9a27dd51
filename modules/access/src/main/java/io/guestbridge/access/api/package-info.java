/**
 * Access: what a bearer token must be for the API to accept it beyond what the MicroProfile JWT verifier
 * checks (not valid before its time, not revoked), and the revocation of a token or of every token of a
 * person. Nothing here is called by other modules; they rely on the filter it installs.
 */
package io.guestbridge.access.api;
