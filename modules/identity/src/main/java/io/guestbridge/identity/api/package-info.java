/**
 * The identity module's front door: the only package other modules may use.
 * <p>Guest profiles keyed by a normalised email, with per-field provenance and the field-ownership policy (which source may overwrite which field); devices (MACs as keyed hashes only) and visits. Front door: GuestDirectory (resolve, observe, update, profiles, the change feed); a guest is erased through the platform's SubjectErasure contract, which the privacy module drives.
 */
package io.guestbridge.identity.api;
