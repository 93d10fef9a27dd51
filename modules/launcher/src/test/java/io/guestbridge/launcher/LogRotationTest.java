package io.guestbridge.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogRotationTest {

    @TempDir
    Path dir;

    /** A clock the test moves by hand. */
    static final class HandClock extends Clock {
        Instant now;

        HandClock(String instant) {
            now = Instant.parse(instant);
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void theDaysChangeSetsTheDayAsideUnderItsDateWithItsLastLinesTimeAndTheWriterGoesOn() throws IOException {
        HandClock clock = new HandClock("2026-12-01T23:59:58Z");
        Path live = dir.resolve("server.log");
        try (FileOutputStream server = new FileOutputStream(live.toFile(), true)) { // O_APPEND, as Redirect.appendTo
            LogRotation rotation = new LogRotation(live, clock, LogRotation.DEFAULT_MAX_BYTES, LogRotation.copyThenTruncate());
            server.write("first day\n".getBytes(StandardCharsets.UTF_8));
            FileTime lastLine = FileTime.from(Instant.parse("2026-12-01T23:59:58Z"));
            Files.setLastModifiedTime(live, lastLine);
            assertEquals(Optional.empty(), rotation.rotateIfDue(), "nothing before the day is over");
            assertEquals(Duration.ofMillis(2001), rotation.untilNextCheck(Duration.ofSeconds(30)), "it wakes just after midnight");

            clock.advance(Duration.ofSeconds(3));
            Path day = rotation.rotateIfDue().orElseThrow();
            assertEquals(dir.resolve("server.log.2026-12-01"), day);
            assertEquals("first day\n", Files.readString(day));
            assertEquals(lastLine, Files.getLastModifiedTime(day), "its age is its last line's");
            assertEquals(0, Files.size(live), "the live file starts the new day empty");
            assertEquals(Duration.ofSeconds(30), rotation.untilNextCheck(Duration.ofSeconds(30)));

            server.write("second day\n".getBytes(StandardCharsets.UTF_8));
            assertEquals("second day\n", Files.readString(live), "the server's next line is at the start, not after a hole");
            assertEquals(Optional.empty(), rotation.rotateIfDue(), "once a day");
            assertEquals(1, rotation.rotations());
            assertEquals(day, rotation.lastTarget());
        }
    }

    @Test
    void aDayWithoutALineLeavesNoFile() throws IOException {
        HandClock clock = new HandClock("2026-12-01T12:00:00Z");
        Path live = Files.createFile(dir.resolve("server.log"));
        LogRotation rotation = new LogRotation(live, clock, LogRotation.DEFAULT_MAX_BYTES, LogRotation.copyThenTruncate());
        clock.advance(Duration.ofDays(1));
        assertEquals(Optional.empty(), rotation.rotateIfDue());
        Files.writeString(live, "a line\n");
        clock.advance(Duration.ofDays(1));
        assertEquals(Optional.of(dir.resolve("server.log.2026-12-02")), rotation.rotateIfDue(), "the day the line was written");
        try (var files = Files.list(dir)) {
            assertEquals(List.of("server.log", "server.log.2026-12-02"), files.map(f -> f.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void aFilePastTheCapIsSetAsideAsTheNextPartOfItsDay() throws IOException {
        HandClock clock = new HandClock("2026-12-01T08:00:00Z");
        Path live = dir.resolve("server.log");
        LogRotation rotation = new LogRotation(live, clock, 10, LogRotation.copyThenTruncate());
        Files.writeString(live, "0123456789");
        assertEquals(Optional.empty(), rotation.rotateIfDue(), "at the cap, not past it");
        Files.writeString(live, "0123456789a");
        assertEquals(Optional.of(dir.resolve("server.log.2026-12-01")), rotation.rotateIfDue());
        Files.writeString(live, "0123456789b");
        assertEquals(Optional.of(dir.resolve("server.log.2026-12-01-1")), rotation.rotateIfDue());
        Files.writeString(live, "the rest");
        clock.advance(Duration.ofDays(1));
        assertEquals(Optional.of(dir.resolve("server.log.2026-12-01-2")), rotation.rotateIfDue(), "the day's last part comes last");
        assertEquals("0123456789b", Files.readString(dir.resolve("server.log.2026-12-01-1")));
        assertEquals("the rest", Files.readString(dir.resolve("server.log.2026-12-01-2")));
    }

    @Test
    void thePreviousStartsFileGoesUnderTheDayOfItsLastLineBesideTheOthers() throws IOException {
        Path live = Files.writeString(dir.resolve("server.log"), "the previous start\n");
        Files.writeString(dir.resolve("server.log.2026-11-20"), "set aside while it ran\n");
        Files.setLastModifiedTime(live, FileTime.from(Instant.parse("2026-11-20T17:00:00Z")));
        assertEquals(Optional.of(dir.resolve("server.log.2026-11-20-1")), LogRotation.setAsidePrevious(live));
        assertFalse(Files.exists(live));
        assertEquals(FileTime.from(Instant.parse("2026-11-20T17:00:00Z")), Files.getLastModifiedTime(dir.resolve("server.log.2026-11-20-1")));
        assertEquals(Optional.empty(), LogRotation.setAsidePrevious(live), "a first start has nothing to set aside");
    }

    @Test
    void theLaunchersOwnLogIsRenamedAndReopenedWithoutLosingARecord() throws IOException {
        HandClock clock = new HandClock("2026-12-01T23:00:00Z");
        Path live = dir.resolve("database.log");
        ReopenableFileHandler handler = new ReopenableFileHandler(live);
        handler.setFormatter(new SimpleFormatter() {
            @Override
            public String format(LogRecord record) {
                return record.getMessage() + "\n";
            }
        });
        try {
            LogRotation rotation = new LogRotation(live, clock, LogRotation.DEFAULT_MAX_BYTES, LogRotation.renameThenReopen(handler));
            handler.publish(new LogRecord(Level.INFO, "late on the first"));
            clock.advance(Duration.ofHours(2));
            assertEquals(Optional.of(dir.resolve("database.log.2026-12-01")), rotation.rotateIfDue());
            handler.publish(new LogRecord(Level.INFO, "early on the second"));
            assertEquals("late on the first\n", Files.readString(dir.resolve("database.log.2026-12-01")));
            assertEquals("early on the second\n", Files.readString(live));
            try (var files = Files.list(dir)) {
                assertEquals(2, files.count(), "no lock file beside the log");
            }
        } finally {
            handler.close();
        }
    }

    @Test
    void theFollowerShowsEveryLineOnceAcrossARotationAndATruncationByHand() throws IOException {
        HandClock clock = new HandClock("2026-12-01T23:59:00Z");
        Path live = dir.resolve("server.log");
        ByteArrayOutputStream shown = new ByteArrayOutputStream();
        LogRotation rotation = new LogRotation(live, clock, LogRotation.DEFAULT_MAX_BYTES, LogRotation.copyThenTruncate());
        ServerLog.Follower follower = new ServerLog.Follower(live, rotation, new PrintStream(shown, true, StandardCharsets.UTF_8));
        follower.poll();
        try (FileOutputStream server = new FileOutputStream(live.toFile(), true)) {
            server.write("one\n".getBytes(StandardCharsets.UTF_8));
            follower.poll();
            server.write("two, not yet shown when the day ends\n".getBytes(StandardCharsets.UTF_8));
            clock.advance(Duration.ofMinutes(2));
            rotation.rotateIfDue().orElseThrow();
            server.write("three\n".getBytes(StandardCharsets.UTF_8));
            follower.poll();
            follower.poll();
            assertEquals("one\ntwo, not yet shown when the day ends\nthree\n", shown.toString(StandardCharsets.UTF_8));
        }
        Files.writeString(live, "four\n");
        follower.poll();
        assertTrue(shown.toString(StandardCharsets.UTF_8).endsWith("three\nfour\n"), "a shorter file is read from its start: " + shown);
    }
}
