/**
 * The privacy module's implementation, in rooms by capability: {@code requests} (a request and its steps as stored, JPA
 * entities that check their own moves, and the store that audits every move; its certificate), {@code datamap} (the systems that hold guest
 * data), {@code suppression} (the erased subjects as keyed hashes), {@code exports} (access exports), {@code notices} (the mail
 * to subjects, sponsors and the DPO), {@code steps} (each system's part of a request), {@code lifecycle} (intake, verification,
 * approval, extension and the statutory clock), {@code portal} (the subjects' public side), {@code staff} (the management API,
 * the console's desk, the record of processing) and {@code retention} (the purges that run by themselves). No other module
 * imports it.
 */
package io.guestbridge.privacy.internal;
