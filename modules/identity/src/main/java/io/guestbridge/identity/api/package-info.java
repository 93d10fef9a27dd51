/**
 * The identity module's front door: the only package other modules may use.
 * <p>Guest profiles keyed by a normalised email, with per-field provenance and the field-ownership policy (which source may overwrite which field); devices (MACs as keyed hashes only) and visits. Front door: GuestDirectory (resolve, upsert, merge, erase). Arrives with issue #4.
 */
package io.guestbridge.identity.api;
