package io.guestbridge.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StartChecksTest {

    @TempDir
    Path dir;

    private String mountInfo(String point, String options) {
        return "22 1 0:21 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
                + "35 22 0:32 / " + point + " " + options + " shared:5 - tmpfs tmpfs rw,size=65536k\n";
    }

    @Test
    void aHomeOnANoexecMountIsRefusedSayingWhy() {
        Optional<String> problem = StartChecks.homeProblem(dir, mountInfo(dir.toString(), "rw,nosuid,nodev,noexec"));
        assertTrue(problem.isPresent());
        assertTrue(problem.get().contains("noexec") && problem.get().contains("GUESTBRIDGE_HOME="), problem.get());
        assertEquals(Optional.empty(), StartChecks.homeProblem(dir, mountInfo(dir.toString(), "rw,nosuid,nodev")));
        assertEquals(Optional.empty(), StartChecks.homeProblem(dir, mountInfo("/elsewhere", "rw,noexec")), "another mount's options");
        assertTrue(StartChecks.homeProblem(dir, mountInfo(dir.toString(), "ro,relatime")).orElseThrow().contains("read-only"));
    }

    @Test
    void theMountOfAPathIsTheLongestMatchingMountPoint() {
        String info = mountInfo("/srv", "rw,noexec") + "40 35 0:33 / /srv/data rw,relatime - ext4 /dev/sdb1 rw\n"
                + "41 22 0:34 / /srv/data2 rw,noexec - ext4 /dev/sdc1 rw\n";
        assertTrue(StartChecks.mountOptions(Path.of("/srv/x"), info).orElseThrow().contains("noexec"));
        assertTrue(!StartChecks.mountOptions(Path.of("/srv/data/gb"), info).orElseThrow().contains("noexec"));
        assertTrue(!StartChecks.mountOptions(Path.of("/var"), info).orElseThrow().contains("noexec"));
    }

    @Test
    void aHomeThatCannotBeCreatedIsRefusedSayingWhatToDo() {
        Optional<String> problem = StartChecks.homeProblem(Path.of("/proc/guestbridge-home"), null);
        assertTrue(problem.orElseThrow().startsWith("guestbridge: cannot write in the home directory /proc/guestbridge-home"), problem.get());
        assertTrue(problem.get().contains("GUESTBRIDGE_HOME="));
    }

    @Test
    void theHostsOfAJdbcUrl() {
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 3307)), StartChecks.hosts("jdbc:mariadb://127.0.0.1:3307/guestbridge?sslMode=trust"));
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 3306)), StartChecks.hosts("jdbc:mariadb://127.0.0.1/guestbridge"));
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 3310), new InetSocketAddress("::1", 3311)),
                StartChecks.hosts("jdbc:mariadb:sequential://127.0.0.1:3310,[::1]:3311/guestbridge"));
        assertEquals(List.of(), StartChecks.hosts("jdbc:mariadb://address=(host=a)(port=3306)/guestbridge"), "a form not read is not checked");
        assertEquals(List.of(), StartChecks.hosts("jdbc:postgresql://127.0.0.1/x"));
    }
}
