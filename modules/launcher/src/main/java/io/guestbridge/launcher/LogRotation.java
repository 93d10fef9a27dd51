package io.guestbridge.launcher;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * A log file set aside by day, so that the retention of server logs (which deletes files by their last
 * modification) deletes whole days: at the day's change in UTC, or when the file grows past a size cap, the
 * live file's content goes to {@code <name>.<yyyy-MM-dd>}, the day it was written, and the live file starts
 * empty. The parts of one day are numbered in the order they were set aside: {@code server.log.2026-12-01},
 * then {@code server.log.2026-12-01-1}, {@code -2}… Each part keeps the last modification of its last line, so
 * its age is that of its newest line. The previous start's file is set aside by the same rule when a launcher
 * starts ({@link #setAsidePrevious}).
 *
 * <p>How the content leaves the live file depends on who writes it ({@link Mover}): the server's output is
 * written by Payara Micro through a descriptor the launcher does not own (so that a server whose launcher was
 * killed keeps writing), which is copied and then truncated; the database's log is the launcher's own and is
 * renamed and reopened. Callers that read the live file take this object's lock, so they never see a state in
 * between.
 */
final class LogRotation {

    /** The size past which a file is set aside before its day is over. */
    static final long DEFAULT_MAX_BYTES = 100L * 1024 * 1024;

    /** Moves the content of the live file to {@code target}, leaving the live file empty (or new) for its writer. */
    interface Mover {
        void moveAside(Path live, Path target) throws IOException;
    }

    private final Path live;
    private final Clock clock;
    private final long maxBytes;
    private final Mover mover;
    private LocalDate day;
    private long rotations;
    private Path lastTarget;

    LogRotation(Path live, Clock clock, long maxBytes, Mover mover) {
        this.live = live;
        this.clock = clock;
        this.maxBytes = maxBytes;
        this.mover = mover;
        this.day = today();
    }

    /**
     * Sets the live file aside when its day is over or it has grown past the cap; returns where it went.
     * An empty file is not set aside (a day without a line leaves no file).
     */
    synchronized Optional<Path> rotateIfDue() throws IOException {
        LocalDate now = today();
        long size = Files.exists(live) ? Files.size(live) : 0;
        LocalDate written = day;
        if (!now.isAfter(day) && size <= maxBytes) {
            return Optional.empty();
        }
        if (size == 0) {
            day = now;
            return Optional.empty();
        }
        Path target = nameFor(live, written);
        mover.moveAside(live, target);
        // only once it is set aside: a failed move is tried again, still under the day the lines were written
        day = now;
        rotations++;
        lastTarget = target;
        return Optional.of(target);
    }

    /** How many times the live file was set aside; a reader that sees it change reads the rest in {@link #lastTarget}. */
    synchronized long rotations() {
        return rotations;
    }

    synchronized Path lastTarget() {
        return lastTarget;
    }

    /** How long to wait before the next {@link #rotateIfDue}: {@code interval}, or less so as to wake at the day's change. */
    Duration untilNextCheck(Duration interval) {
        Duration untilMidnight = Duration.between(clock.instant(),
                today().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
        return untilMidnight.compareTo(interval) < 0 ? untilMidnight.plusMillis(1) : interval;
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    /** The first free name for a part of {@code day}: {@code <live>.<day>}, then {@code <live>.<day>-1}, {@code -2}… */
    static Path nameFor(Path live, LocalDate day) {
        String base = live.getFileName() + "." + day;
        Path candidate = live.resolveSibling(base);
        for (int n = 1; Files.exists(candidate); n++) {
            candidate = live.resolveSibling(base + "-" + n);
        }
        return candidate;
    }

    /**
     * Before a start: the previous start's file, if any, renamed to the day of its last line (its last
     * modification, in UTC), so that nothing but the new start writes the live name.
     */
    static Optional<Path> setAsidePrevious(Path live) throws IOException {
        if (!Files.exists(live)) {
            return Optional.empty();
        }
        FileTime modified = Files.getLastModifiedTime(live);
        Path target = nameFor(live, LocalDate.ofInstant(modified.toInstant(), ZoneOffset.UTC));
        Files.move(live, target);
        return Optional.of(target);
    }

    /**
     * For a file whose writer holds its own descriptor opened with O_APPEND (the server's output): the content is
     * copied, then the file is truncated; the writer's next line lands at the start of the now empty file. Lines
     * the writer adds between the last copied byte and the truncation are lost: the copy is repeated until it
     * has caught up with the writer, so that window is the few microseconds between reading the size and
     * truncating (longer if this thread is paused there on a busy machine), not the duration of the copy. The
     * copy keeps the last modification of the file. A pipe through the launcher would lose nothing while the
     * launcher lives, but a killed launcher would then take the server's output with it.
     */
    static Mover copyThenTruncate() {
        return (live, target) -> {
            try (FileChannel in = FileChannel.open(live, StandardOpenOption.READ, StandardOpenOption.WRITE);
                 FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                long copied = 0;
                while (true) {
                    // read before the size: a line written in between is seen by the size and copied too
                    FileTime modified = Files.getLastModifiedTime(live);
                    long size = in.size();
                    if (size <= copied) {
                        // nothing but this comparison between the size that was read and the truncation
                        in.truncate(0);
                        out.force(false);
                        Files.setLastModifiedTime(target, modified);
                        return;
                    }
                    copied += in.transferTo(copied, size - copied, out);
                }
            }
        };
    }

    /** For a file only the launcher writes: renamed, then {@code reopen} gives its writer a new file of the live name. */
    static Mover renameThenReopen(ReopenableFileHandler handler) {
        return (live, target) -> handler.reopenAfter(() -> Files.move(live, target, StandardCopyOption.ATOMIC_MOVE));
    }
}
