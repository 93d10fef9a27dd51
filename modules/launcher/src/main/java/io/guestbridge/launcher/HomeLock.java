package io.guestbridge.launcher;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * One launcher per home directory: two would start two MariaDB servers on one data directory (the second
 * fails on InnoDB's lock after a long wait, or worse) and stop each other's leftovers. The lock is the
 * operating system's, on a file of the home, so it is released however the launcher ends, even killed.
 */
final class HomeLock implements AutoCloseable {

    static final String FILE = "launcher.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private HomeLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock of {@code home}, or empty when another process holds it. */
    static Optional<HomeLock> tryAcquire(Path home) throws IOException {
        FileChannel channel = FileChannel.open(home.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException heldInThisProcess) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            return Optional.empty();
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        channel.force(false);
        return Optional.of(new HomeLock(channel, lock));
    }

    /** The pid the holder wrote into the lock file, if it can be read. */
    static Optional<String> holder(Path home) {
        try {
            String pid = java.nio.file.Files.readString(home.resolve(FILE), StandardCharsets.US_ASCII).trim();
            return pid.isEmpty() ? Optional.empty() : Optional.of(pid);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static String refusal(Path home) {
        return "guestbridge: another launcher is already running on the home directory " + home
                + holder(home).map(pid -> " (pid " + pid + ")").orElse("") + ". Use that one (its banner has the URLs and tokens), "
                + "stop it with Ctrl-C in its terminal, or start this one with a home of its own: GUESTBRIDGE_HOME=/path/to/other "
                + "HTTP_PORT=8081 HTTPS_PORT=8444 java -jar ... .";
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
