/**
 * A data-subject request as stored: its type, the law it is answered under and its clock, its states and its steps' states
 * with the moves they allow, the corrections a rectification may carry, and the SQL of requests, steps and history, through
 * which every move is checked and audited in the caller's transaction; the certificate of an ended request.
 */
package io.guestbridge.privacy.internal.requests;
