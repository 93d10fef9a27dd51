/**
 * The life of a request: intake from any channel, verification by staff or by an emailed code, duplicates, approval, rejection,
 * extension, operators' confirmations; and the statutory clock that expires unverified requests and escalates to the DPO.
 */
package io.guestbridge.privacy.internal.lifecycle;
