package io.guestbridge.violation.internal.processing;

/** The processing room of the fixture module, for {@code RoomsTest}. Never on the main classpath. */
public final class Parser {

    public static boolean valid(String body) {
        return !body.isEmpty();
    }
}
