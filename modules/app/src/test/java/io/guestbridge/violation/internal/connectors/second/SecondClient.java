package io.guestbridge.violation.internal.connectors.second;

/** One connector of the fixture module, for {@code RoomsTest}. Never on the main classpath. */
public final class SecondClient {

    public static String redact(String message) {
        return message;
    }
}
