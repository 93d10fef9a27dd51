package io.guestbridge.ingestion.internal.inbox;

import io.guestbridge.platform.api.Jsonp;
import io.guestbridge.platform.api.ProblemException;
import io.guestbridge.platform.api.ProblemType;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParsingException;

import io.guestbridge.platform.api.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * A webhook request body, read within limits and checked just enough to be worth storing: its size
 * (also after gzip), its content type, UTF-8, JSON well-formedness and nesting depth. Nothing about
 * its meaning is checked here: processing does that later, and an event with odd content goes to
 * quarantine rather than being refused, because a sender cannot fix what it already sent.
 */
public final class WebhookBody {

    private final byte[] bytes;
    private final String text;

    private WebhookBody(byte[] bytes, String text) {
        this.bytes = bytes;
        this.text = text;
    }

    /** What a sender may put in a body: one JSON object, or (for batch senders) an array of them. */
    public enum Shape { OBJECT, OBJECT_OR_ARRAY }

    /** Reads and checks a body; throws a 4xx problem for anything not worth storing. */
    public static WebhookBody read(InputStream in, String contentType, String contentEncoding, long declaredLength,
                                   int maxBytes, int maxDepth) {
        return read(in, contentType, contentEncoding, declaredLength, maxBytes, maxDepth, Shape.OBJECT);
    }

    public static WebhookBody read(InputStream in, String contentType, String contentEncoding, long declaredLength,
                                   int maxBytes, int maxDepth, Shape shape) {
        requireJsonContentType(contentType);
        if (declaredLength > maxBytes) {
            throw tooLarge(maxBytes);
        }
        byte[] bytes = readLimited(decoded(in, contentEncoding), maxBytes);
        String text = utf8(bytes);
        if (!text.isBlank()) {
            requireJson(text, maxDepth, shape);
        }
        return new WebhookBody(bytes, text);
    }

    public byte[] bytes() {
        return bytes;
    }

    public String text() {
        return text;
    }

    /** Empty, or an empty object: what a sender posts to check that the URL answers. */
    public boolean isPing() {
        // checked on every delivery: look at the few bytes a ping can have, not the whole body
        if (text.length() > 64) {
            return false;
        }
        String trimmed = text.strip();
        return trimmed.isEmpty() || trimmed.replaceAll("\\s", "").equals("{}");
    }

    public String sha256() {
        return sha256(bytes);
    }

    public static String sha256(byte[] data) {
        return Digests.sha256Hex(data);
    }

    /** Purple's sample request carries no Content-Type at all: absent is accepted, so is any JSON type. */
    static void requireJsonContentType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return;
        }
        String type = contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (type.equals("application/json") || type.endsWith("+json") || type.equals("text/json")) {
            return;
        }
        throw new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE,
                "Send the event as JSON (Content-Type: application/json); " + shorten(type) + " is not accepted.");
    }

    private static InputStream decoded(InputStream in, String contentEncoding) {
        if (contentEncoding == null || contentEncoding.isBlank() || contentEncoding.equalsIgnoreCase("identity")) {
            return in;
        }
        if (contentEncoding.trim().equalsIgnoreCase("gzip")) {
            try {
                return new GZIPInputStream(in, 8192);
            } catch (ZipException e) {
                throw malformed("The body is declared gzip (Content-Encoding: gzip) but is not gzip data.");
            } catch (IOException e) {
                throw malformed("The gzip body could not be read.");
            }
        }
        throw new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE,
                "Content-Encoding " + shorten(contentEncoding) + " is not supported; send the body plain or gzip-compressed.");
    }

    private static byte[] readLimited(InputStream in, int maxBytes) {
        try (InputStream body = in) {
            byte[] bytes = body.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw tooLarge(maxBytes);
            }
            return bytes;
        } catch (ZipException e) {
            throw malformed("The body is declared gzip (Content-Encoding: gzip) but is not valid gzip data.");
        } catch (IOException e) {
            throw malformed("The body could not be read completely (" + e.getClass().getSimpleName() + ").");
        }
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw malformed("The body is not valid UTF-8; send JSON encoded as UTF-8.");
        }
    }

    private static void requireJson(String text, int maxDepth, Shape shape) {
        int depth = 0;
        try (JsonParser parser = Jsonp.JSON.createParser(new StringReader(text))) {
            boolean sawValue = false;
            while (parser.hasNext()) {
                JsonParser.Event event = parser.next();
                if (event == JsonParser.Event.START_OBJECT || event == JsonParser.Event.START_ARRAY) {
                    if (depth == 0 && event == JsonParser.Event.START_ARRAY && shape == Shape.OBJECT) {
                        throw malformed("The body must be one JSON object (one event per request), not an array.");
                    }
                    if (depth == 0 && sawValue) {
                        throw malformed("The body holds more than one JSON value.");
                    }
                    depth++;
                    if (depth > maxDepth) {
                        throw malformed("The JSON is nested deeper than " + maxDepth + " levels.");
                    }
                } else if (event == JsonParser.Event.END_OBJECT || event == JsonParser.Event.END_ARRAY) {
                    depth--;
                    if (depth == 0) {
                        sawValue = true;
                    }
                } else if (depth == 0) {
                    throw malformed("The body must be a JSON object.");
                } else if (depth == 1 && shape == Shape.OBJECT_OR_ARRAY && text.stripLeading().startsWith("[")
                        && event != JsonParser.Event.START_OBJECT) {
                    throw malformed("An array body must hold event objects only.");
                }
            }
        } catch (JsonParsingException e) {
            throw malformed("The body is not well-formed JSON (at line " + e.getLocation().getLineNumber()
                    + ", column " + e.getLocation().getColumnNumber() + ").");
        } catch (jakarta.json.JsonException e) {
            throw malformed("The body is not well-formed JSON.");
        }
    }

    private static ProblemException malformed(String detail) {
        return new ProblemException(ProblemType.MALFORMED_BODY, detail);
    }

    private static ProblemException tooLarge(int maxBytes) {
        return new ProblemException(ProblemType.PAYLOAD_TOO_LARGE,
                "The body is larger than " + maxBytes + " bytes (after decompression); one event per request.");
    }

    private static String shorten(String value) {
        String printable = value.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > 60 ? printable.substring(0, 60) + "…" : printable;
    }
}
