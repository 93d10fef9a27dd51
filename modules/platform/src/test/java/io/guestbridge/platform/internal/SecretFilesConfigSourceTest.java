package io.guestbridge.platform.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretFilesConfigSourceTest {

    @Test
    void everyFileIsASettingNamedAfterIt(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("crm.hubspot-main.token"), "  pat-na1-secret\n");
        Files.writeString(dir.resolve("CRM_SF_MAIN_CLIENT_SECRET"), "sf-secret");
        Files.writeString(dir.resolve(".hidden"), "ignored");
        Files.createDirectory(dir.resolve("subdir"));
        Map<String, String> values = SecretFilesConfigSource.read(dir.toString());
        assertEquals("pat-na1-secret", values.get("crm.hubspot-main.token"), "trimmed, as mounted secrets end with a newline");
        assertEquals("sf-secret", values.get("CRM_SF_MAIN_CLIENT_SECRET"));
        assertEquals(2, values.size(), "hidden files and directories are not settings");
        assertTrue(SecretFilesConfigSource.read(dir.resolve("missing").toString()).isEmpty());
        assertTrue(SecretFilesConfigSource.read(null).isEmpty());
    }

    @Test
    void aFileNamedLikeAnEnvironmentVariableServesTheDottedName(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("DB_PASSWORD"), "generated\n");
        Files.writeString(dir.resolve("crm.hubspot-main.token"), "dotted");
        SecretFilesConfigSource source = new SecretFilesConfigSource(dir.toString());
        assertEquals("generated", source.getValue("db.password"));
        assertEquals("generated", source.getValue("DB_PASSWORD"));
        assertEquals("dotted", source.getValue("crm.hubspot-main.token"), "the exact name first");
        assertEquals(null, source.getValue("db.user"));
    }
}
