package io.guestbridge.platform.api;

import jakarta.json.spi.JsonProvider;

/**
 * The JSON-P provider, looked up once. Every static method of {@code jakarta.json.Json} looks the
 * provider up again through the ServiceLoader, which in Payara searches the class loaders' jars: a
 * profile of the webhook endpoint found that lookup among its hottest frames. Use {@link #JSON} instead
 * of {@code Json.create…}.
 */
public final class Jsonp {

    public static final JsonProvider JSON = JsonProvider.provider();

    private Jsonp() {
    }
}
