/**
 * Access exports: everything held about the subject with the data map's information, sealed, handed out once through an
 * expiring link, and deleted on download or expiry.
 */
package io.guestbridge.privacy.internal.exports;
