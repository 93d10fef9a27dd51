package io.guestbridge.privacy.internal.retention;

import io.guestbridge.platform.api.RetentionPurge;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The server's log files: a log line can carry what a request held (an address, an id, a path), so the files are
 * kept only as long as they serve for finding faults, 14 days by default ({@code retention.server-logs.days}; 7 to 14
 * is usual). The directory is {@code retention.server-logs.directory}: the launcher sets it to the logs directory of
 * its home ({@code ~/.guestbridge/logs}: Payara Micro's output as {@code server.log}, the embedded database's as
 * {@code database.log}, each set aside by day as {@code server.log.2026-11-20}, with the last modification of its
 * last line, so that whole days go); a server run otherwise (Payara Micro with
 * {@code --logtofile}, whose rotated files sit beside the live one) names its own. Without a directory nothing is
 * deleted, and the overview says so.
 *
 * <p>Only log files go: regular files directly in the directory (no subdirectory, no symbolic link followed) whose
 * name holds {@code .log} ({@code server.log.1}, {@code server.log_2026-11-20T00-00-00}, {@code database.log.gz}),
 * last modified before the cutoff, oldest first, a bounded batch per run. The file being written is modified all
 * the time and so never goes. Deleting a file cannot be rolled back with the run's transaction: the count audited
 * is of files gone.
 */
@ApplicationScoped
public class ServerLogRetention implements RetentionPurge {

    static final String DIRECTORY = "retention.server-logs.directory";

    private static final Pattern LOG_FILE = Pattern.compile(".*\\.log([._-].*)?");

    private static final Logger LOG = Logger.getLogger(ServerLogRetention.class.getName());
    /** The directory last found missing, warned about once until it is there again. */
    private static final java.util.concurrent.atomic.AtomicReference<Path> MISSING = new java.util.concurrent.atomic.AtomicReference<>();

    @Inject
    Config config;

    @Override
    public String category() {
        return "server-logs";
    }

    @Override
    public String description() {
        return directory().map(dir -> "the server's log files (names holding .log) in " + dir + ", by their last modification")
                .orElse("the server's log files: no directory is configured (" + DIRECTORY + "), so none is deleted");
    }

    @Override
    public Duration defaultRetention() {
        return Duration.ofDays(14);
    }

    @Override
    public int purge(Instant cutoff, int limit) {
        return directory().map(dir -> purge(dir, cutoff, limit)).orElse(0);
    }

    private Optional<Path> directory() {
        return config.getOptionalValue(DIRECTORY, String.class).map(String::strip).filter(d -> !d.isEmpty()).map(Path::of);
    }

    /** Deletes at most {@code limit} log files in {@code dir} last modified before {@code cutoff}, oldest first; returns how many went. */
    static int purge(Path dir, Instant cutoff, int limit) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            // once per missing directory, not every housekeeping round (seconds apart): the operator needs the one line
            Level level = dir.equals(MISSING.getAndSet(dir)) ? Level.FINE : Level.WARNING;
            LOG.log(level, () -> "retention of server logs: " + dir + " is not a directory; nothing deleted");
            return 0;
        }
        MISSING.compareAndSet(dir, null);
        record Old(Path file, Instant modified) {
        }
        List<Old> old = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                if (!LOG_FILE.matcher(file.getFileName().toString()).matches()) {
                    continue;
                }
                BasicFileAttributes attributes;
                try {
                    attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (NoSuchFileException gone) {
                    continue;
                }
                Instant modified = attributes.lastModifiedTime().toInstant();
                if (attributes.isRegularFile() && modified.isBefore(cutoff)) {
                    old.add(new Old(file, modified));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("retention of server logs: " + dir + " could not be read", e);
        }
        old.sort(Comparator.comparing(Old::modified));
        int deleted = 0;
        for (Old file : old.subList(0, Math.min(limit, old.size()))) {
            try {
                if (Files.deleteIfExists(file.file())) {
                    deleted++;
                }
            } catch (IOException e) {
                LOG.warning("retention of server logs: " + file.file().getFileName() + " could not be deleted (" + e.getClass().getSimpleName()
                        + "); tried again next run");
            }
        }
        return deleted;
    }
}
