package io.guestbridge.launcher;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The development run's mail catcher: when no SMTP server is configured, the privacy module's mail (one-time codes,
 * receipts, outcomes with the copy's link) would go nowhere, and a newcomer could not walk a guest's flow. This listens
 * for SMTP on loopback only, takes every message and writes it, as sent, to a file of its own ({@code .eml}, readable
 * in any text editor or mail program) in one directory; nothing is relayed. Bounded: one connection at a time, a
 * message of at most 1 MB, a minute of silence ends a connection, and the directory keeps the newest 500 mails.
 *
 * <p>The mails it keeps are listed once, when it starts, and followed from then on: listing the directory for every
 * mail, to find the ones past the newest 500, cost a directory read per message (a burst of a thousand erasures sends
 * two thousand notices, and the catcher took a twentieth of a two-core machine).
 */
final class DevMailCatcher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DevMailCatcher.class.getName());
    private static final int MAX_MESSAGE_BYTES = 1_048_576;
    private static final int KEPT = 500;
    private static final int IDLE_MILLIS = 60_000;
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);

    private final ServerSocket socket;
    private final Path directory;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "guestbridge-dev-mail");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLong received = new AtomicLong();
    private final int kept;
    /** The mails in the directory, oldest first: those found at the start (by name, which begins with the time), then each one written. */
    private final Deque<Path> mails;

    private DevMailCatcher(ServerSocket socket, Path directory, int kept, Deque<Path> mails) {
        this.socket = socket;
        this.directory = directory;
        this.kept = kept;
        this.mails = mails;
    }

    /** Starts catching into {@code directory} on a free loopback port. */
    static DevMailCatcher start(Path directory) throws IOException {
        return start(directory, KEPT);
    }

    /** As {@link #start(Path)}, keeping the newest {@code kept} mails. */
    static DevMailCatcher start(Path directory, int kept) throws IOException {
        Files.createDirectories(directory);
        Deque<Path> mails = new ArrayDeque<>();
        try (Stream<Path> files = Files.list(directory)) {
            files.filter(p -> p.getFileName().toString().endsWith(".eml")).sorted().forEach(mails::addLast);
        }
        DevMailCatcher catcher = new DevMailCatcher(new ServerSocket(0, 8, InetAddress.getLoopbackAddress()), directory, kept, mails);
        catcher.prune();
        catcher.worker.submit(catcher::serve);
        return catcher;
    }

    /** Whether the run needs a catcher: only when no SMTP host is configured (then the server would send no mail at all). */
    static boolean wanted(String configuredSmtpHost) {
        return configuredSmtpHost == null || configuredSmtpHost.isBlank();
    }

    int port() {
        return socket.getLocalPort();
    }

    Path directory() {
        return directory;
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket client = socket.accept()) {
                client.setSoTimeout(IDLE_MILLIS);
                converse(client);
            } catch (SocketException closed) {
                return;
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "development mail catcher: a connection failed: " + e.getClass().getSimpleName());
            }
        }
    }

    /** The part of SMTP (RFC 5321) a mail client needs to hand over messages; no relay, no authentication, no TLS. */
    private void converse(Socket client) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.ISO_8859_1));
        OutputStream out = client.getOutputStream();
        reply(out, "220 guestbridge development mail catcher (nothing is relayed)");
        String line;
        while ((line = in.readLine()) != null) {
            String command = line.length() < 4 ? line.toUpperCase(Locale.ROOT) : line.substring(0, 4).toUpperCase(Locale.ROOT);
            switch (command) {
                case "EHLO", "HELO" -> reply(out, "250 127.0.0.1");
                case "MAIL", "RCPT", "RSET", "NOOP" -> reply(out, "250 OK");
                case "DATA" -> {
                    reply(out, "354 end with <CRLF>.<CRLF>");
                    byte[] message = readMessage(in);
                    if (message == null) {
                        reply(out, "552 message larger than 1 MB");
                    } else {
                        keep(message);
                        reply(out, "250 OK caught");
                    }
                }
                case "QUIT" -> {
                    reply(out, "221 bye");
                    return;
                }
                default -> reply(out, "502 not implemented");
            }
        }
    }

    /** The message up to the lone dot, dot-stuffing undone; null when it grew past the limit (the rest is read and dropped). */
    private static byte[] readMessage(BufferedReader in) throws IOException {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        boolean tooLarge = false;
        String line;
        while ((line = in.readLine()) != null && !line.equals(".")) {
            if (tooLarge) {
                continue;
            }
            String unstuffed = line.startsWith(".") ? line.substring(1) : line;
            message.write(unstuffed.getBytes(StandardCharsets.ISO_8859_1));
            message.write('\r');
            message.write('\n');
            tooLarge = message.size() > MAX_MESSAGE_BYTES;
        }
        return tooLarge ? null : message.toByteArray();
    }

    private void keep(byte[] message) throws IOException {
        Path file = directory.resolve(FILE_TIME.format(Instant.now()) + "-" + received.incrementAndGet() + ".eml");
        Files.write(file, message);
        mails.addLast(file);
        prune();
    }

    /** Deletes the oldest mails past the newest {@code kept} (one a person deleted already is simply gone). */
    private void prune() throws IOException {
        while (mails.size() > kept) {
            Files.deleteIfExists(mails.pollFirst());
        }
    }

    private static void reply(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            worker.shutdownNow();
        }
    }
}
