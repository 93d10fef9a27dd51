package io.guestbridge.violation.internal.intake;

import io.guestbridge.violation.internal.processing.Parser;

/**
 * A webhook that parses on the hot path instead of storing and answering: the fixture that proves
 * {@code RoomsTest}'s rule against it can fail.
 */
public final class EagerWebhook {

    boolean accept(String body) {
        return Parser.valid(body);
    }
}
