package io.guestbridge.app.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * HTTP/1.1 on a bare socket, byte for byte as written: what a proxy or an attacker sends, not what a client
 * library agrees to send (no library sends TRACE with a body, or two requests in one write). Reads back every
 * response the server writes on that connection and whether it then closed it.
 */
final class RawHttp {

    /** How long to wait, after the expected answers, for a further answer or the connection to close. */
    private static final Duration LINGER = Duration.ofMillis(2500);

    private RawHttp() {
    }

    record Response(int status, Map<String, String> headers, String body) {

        Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }

        String contentType() {
            return header("content-type").orElse("").split(";")[0].trim();
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + (body.length() > 300 ? body.substring(0, 300) + "…" : body);
        }
    }

    /** Every answer read from the connection, and whether the server closed it after them. */
    record Exchange(List<Response> responses, boolean closed) {

        Response only() {
            if (responses.size() != 1) {
                throw new AssertionError("expected exactly one answer, got " + responses.size() + ": " + responses);
            }
            return responses.get(0);
        }

        @Override
        public String toString() {
            return responses.size() + " answer(s), " + (closed ? "then closed" : "connection left open") + ": " + responses;
        }
    }

    static String request(String method, String path, String... headerLines) {
        StringBuilder request = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (String header : headerLines) {
            request.append(header).append("\r\n");
        }
        return request.append("\r\n").toString();
    }

    /** A request with a body framed by Content-Length. */
    static String withBody(String method, String path, String body, String... headerLines) {
        String[] headers = java.util.Arrays.copyOf(headerLines, headerLines.length + 1);
        headers[headerLines.length] = "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length;
        return request(method, path, headers) + body;
    }

    /** A request with a body in one chunk (Transfer-Encoding: chunked). */
    static String chunked(String method, String path, String body, String... headerLines) {
        String[] headers = java.util.Arrays.copyOf(headerLines, headerLines.length + 1);
        headers[headerLines.length] = "Transfer-Encoding: chunked";
        int length = body.getBytes(StandardCharsets.UTF_8).length;
        return request(method, path, headers) + Integer.toHexString(length) + "\r\n" + body + "\r\n0\r\n\r\n";
    }

    /**
     * Writes the bytes on a new connection and reads until the server closes it, or until {@code expected}
     * answers came and nothing more (neither an answer nor the close) arrived for a while.
     */
    static Exchange exchange(int port, String bytes, int expected, boolean headRequests) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.getOutputStream().write(bytes.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            long lingerUntil = Long.MAX_VALUE;
            byte[] buffer = new byte[16384];
            boolean closed = false;
            while (System.nanoTime() < Math.min(deadline, lingerUntil)) {
                long left = Math.min(deadline, lingerUntil) - System.nanoTime();
                socket.setSoTimeout((int) Math.max(1, Math.min(left / 1_000_000, 1000)));
                int n;
                try {
                    n = in.read(buffer);
                } catch (SocketTimeoutException quiet) {
                    continue;
                } catch (java.net.SocketException reset) {
                    closed = true;
                    break;
                }
                if (n < 0) {
                    closed = true;
                    break;
                }
                received.write(buffer, 0, n);
                if (parse(received.toByteArray(), headRequests).size() >= expected && lingerUntil == Long.MAX_VALUE) {
                    lingerUntil = System.nanoTime() + LINGER.toNanos();
                }
            }
            return new Exchange(parse(received.toByteArray(), headRequests), closed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Each request on its own connection, all at once: every exchange waits {@link #LINGER} after its answers,
     * which one after the other adds up to most of a test's time and tells nothing more.
     */
    static List<Exchange> exchanges(int port, List<String> requests, int expected, boolean headRequests) {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(Math.min(requests.size(), 16));
        try {
            List<java.util.concurrent.Future<Exchange>> running = new ArrayList<>();
            for (String request : requests) {
                running.add(pool.submit(() -> exchange(port, request, expected, headRequests)));
            }
            List<Exchange> done = new ArrayList<>();
            for (var exchange : running) {
                done.add(exchange.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
            return done;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("an exchange failed: " + e, e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** The complete responses in the bytes (a trailing incomplete one is left out). */
    static List<Response> parse(byte[] bytes, boolean headRequests) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        List<Response> responses = new ArrayList<>();
        int at = 0;
        while (at < text.length()) {
            int headEnd = text.indexOf("\r\n\r\n", at);
            if (headEnd < 0) {
                break;
            }
            String[] lines = text.substring(at, headEnd).split("\r\n");
            String[] statusLine = lines[0].split(" ", 3);
            if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/")) {
                throw new AssertionError("not an HTTP response at byte " + at + ": " + lines[0]);
            }
            int status = Integer.parseInt(statusLine[1]);
            Map<String, String> headers = new TreeMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = lines[i].substring(colon + 1).trim();
                headers.merge(name, value, (a, b) -> a + ", " + b);
            }
            int bodyStart = headEnd + 4;
            String body;
            int next;
            if (headRequests || status == 204 || status == 304 || status < 200) {
                body = "";
                next = bodyStart;
            } else if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", ""))) {
                StringBuilder chunks = new StringBuilder();
                int p = bodyStart;
                while (true) {
                    int lineEnd = text.indexOf("\r\n", p);
                    if (lineEnd < 0) {
                        return responses;
                    }
                    int size = Integer.parseInt(text.substring(p, lineEnd).split(";")[0].trim(), 16);
                    if (size == 0) {
                        int trailerEnd = text.indexOf("\r\n", lineEnd + 2);
                        if (trailerEnd < 0) {
                            return responses;
                        }
                        p = trailerEnd + 2;
                        break;
                    }
                    if (lineEnd + 2 + size + 2 > text.length()) {
                        return responses;
                    }
                    chunks.append(text, lineEnd + 2, lineEnd + 2 + size);
                    p = lineEnd + 2 + size + 2;
                }
                body = chunks.toString();
                next = p;
            } else if (headers.containsKey("content-length")) {
                int length = Integer.parseInt(headers.get("content-length"));
                if (bodyStart + length > text.length()) {
                    break;
                }
                body = text.substring(bodyStart, bodyStart + length);
                next = bodyStart + length;
            } else {
                body = text.substring(bodyStart); // delimited by the close
                next = text.length();
            }
            responses.add(new Response(status, headers, new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8)));
            at = next;
        }
        return responses;
    }
}
