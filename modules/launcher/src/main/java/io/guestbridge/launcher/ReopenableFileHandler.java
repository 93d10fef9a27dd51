package io.guestbridge.launcher;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.logging.LogRecord;
import java.util.logging.StreamHandler;

/**
 * java.util.logging into a file that can be set aside while the launcher runs: {@link #reopenAfter} runs the
 * move while no record is written, then appends to a new file of the same name, so no record is lost or
 * written twice. Each record is flushed as it is written, as {@link java.util.logging.FileHandler} does
 * (without its lock file beside the log).
 */
final class ReopenableFileHandler extends StreamHandler {

    /** A step on the files that may fail. */
    interface FileStep {
        void run() throws IOException;
    }

    private final Path file;

    ReopenableFileHandler(Path file) throws IOException {
        this.file = file;
        setOutputStream(new FileOutputStream(file.toFile(), true));
    }

    @Override
    public synchronized void publish(LogRecord record) {
        super.publish(record);
        flush();
    }

    synchronized void reopenAfter(FileStep move) throws IOException {
        flush();
        move.run();
        // closes the stream into the moved file, then writes to a new one of the live name
        setOutputStream(new FileOutputStream(file.toFile(), true));
    }
}
