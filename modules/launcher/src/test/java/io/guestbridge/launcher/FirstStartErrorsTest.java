package io.guestbridge.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The launcher as a process, the way a newcomer meets it at the command line: help, a mistyped argument,
 * and the errors of a first start, each one paragraph that says what to do and a non-zero exit. All of
 * them are decided before the database or the server would start, so each run takes a second or two.
 */
class FirstStartErrorsTest {

    @TempDir
    Path home;

    private record Run(int exit, String out, String err) {
    }

    private Run launch(Map<String, String> settings, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LauncherEntry.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("DB_") || name.startsWith("KEYS_DB_") || name.startsWith("HTTP"));
        builder.environment().put("GUESTBRIDGE_HOME", home.toString());
        builder.environment().putAll(settings);
        Process process = builder.start();
        process.getOutputStream().close();
        var out = process.getInputStream();
        var err = process.getErrorStream();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            fail("the launcher did not stop by itself within 30 s");
        }
        return new Run(process.exitValue(), new String(out.readAllBytes(), StandardCharsets.UTF_8),
                new String(err.readAllBytes(), StandardCharsets.UTF_8));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void helpListsTheCommandsAndSettings() throws Exception {
        Run help = launch(Map.of(), "--help");
        assertEquals(0, help.exit());
        assertEquals(Arguments.HELP, help.out());
        assertEquals("", help.err());
    }

    @Test
    void anUnknownArgumentGetsOneLineAndTheHelpWithExitStatus2() throws Exception {
        Run wrong = launch(Map.of(), "strat");
        assertEquals(2, wrong.exit());
        assertEquals("guestbridge: unknown command 'strat'\n\n" + Arguments.HELP, wrong.err());
        assertEquals("", wrong.out());
        assertEquals(2, launch(Map.of(), "--port=9090").exit());
    }

    @Test
    void aSettingThatIsNotANumberIsNamed() throws Exception {
        Run wrong = launch(Map.of("HTTP_PORT", "eighty"));
        assertEquals(2, wrong.exit());
        assertEquals("guestbridge: HTTP_PORT must be a whole number from 1 to 65535, not 'eighty'\n", wrong.err());
        Run small = launch(Map.of("EMBEDDED_DB_BUFFER_POOL_MB", "64"));
        assertEquals(2, small.exit());
        assertEquals("guestbridge: EMBEDDED_DB_BUFFER_POOL_MB must be a whole number from 128 to 1048576, not '64'\n", small.err());
    }

    @Test
    void aTakenPortNamesTheProcessHoldingItAndTheSettingToChange() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Run refused = launch(Map.of("HTTP_PORT", Integer.toString(taken.getLocalPort()), "HTTPS_PORT", "0"));
            assertEquals(1, refused.exit(), refused.err());
            assertTrue(refused.err().startsWith("guestbridge: port " + taken.getLocalPort() + " (HTTP_PORT) is already in use by process "
                    + ProcessHandle.current().pid() + " ("), refused.err());
            assertTrue(refused.err().contains("HTTP_PORT=" + (taken.getLocalPort() + 1) + " java -jar"), refused.err());
            assertOneParagraphWithoutStackTrace(refused);
        }
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Run refused = launch(Map.of("HTTP_PORT", Integer.toString(freePort()), "HTTPS_PORT", Integer.toString(taken.getLocalPort())));
            assertEquals(1, refused.exit(), refused.err());
            assertTrue(refused.err().contains("(HTTPS_PORT) is already in use") && refused.err().contains("HTTPS_PORT=0 turns HTTPS off"),
                    refused.err());
        }
    }

    @Test
    void aSecondLauncherOnTheSameHomeIsRefused() throws Exception {
        Optional<HomeLock> first = HomeLock.tryAcquire(home);
        assertTrue(first.isPresent());
        try (HomeLock held = first.get()) {
            Run second = launch(Map.of("HTTP_PORT", Integer.toString(freePort()), "HTTPS_PORT", "0"));
            assertEquals(1, second.exit(), second.err());
            assertTrue(second.err().startsWith("guestbridge: another launcher is already running on the home directory " + home
                    + " (pid " + ProcessHandle.current().pid() + ")."), second.err());
            assertTrue(second.err().contains("GUESTBRIDGE_HOME="), second.err());
            assertOneParagraphWithoutStackTrace(second);
        }
        // released with its holder: the next launcher gets past the lock (and stops at the port taken here)
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Run after = launch(Map.of("HTTP_PORT", Integer.toString(taken.getLocalPort()), "HTTPS_PORT", "0"));
            assertTrue(after.err().contains("is already in use"), after.err());
        }
    }

    @Test
    void aHomeWhereNothingCanBeWrittenIsRefused() throws Exception {
        Run refused = launch(Map.of("GUESTBRIDGE_HOME", "/proc/guestbridge-home", "HTTP_PORT", Integer.toString(freePort()), "HTTPS_PORT", "0"));
        assertEquals(1, refused.exit(), refused.err());
        assertTrue(refused.err().startsWith("guestbridge: cannot write in the home directory /proc/guestbridge-home"), refused.err());
        assertOneParagraphWithoutStackTrace(refused);
    }

    @Test
    void anExternalDatabaseThatRefusesTheConnectionIsSaidBeforeTheServerStarts() throws Exception {
        int nothingThere = freePort();
        Run refused = launch(Map.of("DB_URL", "jdbc:mariadb://127.0.0.1:" + nothingThere + "/guestbridge",
                "HTTP_PORT", Integer.toString(freePort()), "HTTPS_PORT", "0"));
        assertEquals(1, refused.exit(), refused.err());
        assertTrue(refused.err().startsWith("guestbridge: the database DB_URL names does not answer: 127.0.0.1:" + nothingThere
                + " (connect: Connection refused)."), refused.err());
        assertTrue(refused.err().contains("unset DB_URL"), refused.err());
        assertOneParagraphWithoutStackTrace(refused);
        assertFalse(home.resolve("payara").toFile().exists(), "no server was started");
    }

    private static void assertOneParagraphWithoutStackTrace(Run run) {
        assertEquals(1, run.err().strip().lines().count(), "one paragraph: " + run.err());
        assertFalse(run.err().contains("Exception") || run.err().contains("\tat "), run.err());
        assertEquals("", run.out());
    }
}
