package io.guestbridge.launcher;

import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.InputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The old-JVM check: its decision for the versions JVMs report, and that the class itself can be loaded
 * by Java 8 (class file version 52). No JVM older than 17 is run here: none can be installed on the
 * build machines (Debian 12 packages Java 17 only).
 */
class LauncherEntryTest {

    @Test
    void olderJavasGetOneParagraphNamingTheVersionAndWhatToInstall() {
        String java8 = LauncherEntry.refusal("1.8", "/usr/lib/jvm/java-8");
        assertNotNull(java8);
        assertTrue(java8.startsWith("guestbridge: this is Java 8 (/usr/lib/jvm/java-8), and guestbridge needs Java 17 or later."), java8);
        assertTrue(java8.contains("java -version"), java8);
        assertTrue(!java8.contains("\n"), "one paragraph");
        assertTrue(LauncherEntry.refusal("11", "/opt/jdk-11").contains("this is Java 11 "));
        assertTrue(LauncherEntry.refusal("16", "/opt/jdk-16").contains("this is Java 16 "));
        assertNotNull(LauncherEntry.refusal(null, "/somewhere"), "an unreadable version is not taken for a good one");
    }

    @Test
    void java17AndLaterPassThrough() {
        assertNull(LauncherEntry.refusal("17", "/opt/jdk-17"));
        assertNull(LauncherEntry.refusal("21", "/opt/jdk-21"));
        assertNull(LauncherEntry.refusal("25", "/opt/jdk-25"));
        assertNull(LauncherEntry.refusal(System.getProperty("java.specification.version"), System.getProperty("java.home")));
        assertEquals(8, LauncherEntry.featureVersion("1.8"));
        assertEquals(17, LauncherEntry.featureVersion("17"));
        assertEquals(0, LauncherEntry.featureVersion("x"));
    }

    @Test
    void theEntryClassLoadsOnJava8() throws Exception {
        try (InputStream in = LauncherEntry.class.getResourceAsStream("LauncherEntry.class")) {
            assertNotNull(in);
            DataInputStream data = new DataInputStream(in);
            assertEquals(0xCAFEBABE, data.readInt());
            data.readUnsignedShort();
            assertEquals(52, data.readUnsignedShort(), "class file version of Java 8");
        }
    }
}
