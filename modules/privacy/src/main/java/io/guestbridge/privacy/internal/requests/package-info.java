/**
 * A data-subject request as stored: its type, the law it is answered under and its clock, its states and its steps with the
 * moves they allow (JPA entities of the privacy unit that check every move themselves), the corrections a rectification may
 * carry, and the store of requests, steps and history, through which every move is audited in the caller's transaction; the
 * certificate of an ended request.
 */
package io.guestbridge.privacy.internal.requests;
