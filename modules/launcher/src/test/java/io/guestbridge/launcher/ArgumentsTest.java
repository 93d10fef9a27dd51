package io.guestbridge.launcher;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArgumentsTest {

    @Test
    void commandsAndFlags() {
        assertEquals(new Arguments("run", List.of(), false), Arguments.parse(new String[0]));
        assertEquals(new Arguments("run", List.of(), true), Arguments.parse(new String[]{"--verbose"}));
        assertEquals(new Arguments("run", List.of(), true), Arguments.parse(new String[]{"run", "-v"}));
        assertEquals(new Arguments("database", List.of(), false), Arguments.parse(new String[]{"database"}));
        assertEquals(new Arguments("token", List.of("dpo"), false), Arguments.parse(new String[]{"token", "dpo"}));
        assertEquals(new Arguments("token", List.of("dpo", "alice"), false), Arguments.parse(new String[]{"token", "dpo", "alice"}));
        assertEquals("help", Arguments.parse(new String[]{"--help"}).command());
        assertEquals("help", Arguments.parse(new String[]{"token", "-h"}).command(), "help wins over a half-typed command");
    }

    @Test
    void whatIsNotUnderstoodIsSaidInOneLine() {
        assertEquals("unknown command 'strat'", assertThrows(IllegalArgumentException.class,
                () -> Arguments.parse(new String[]{"strat"})).getMessage());
        assertEquals("unknown option '--port'", assertThrows(IllegalArgumentException.class,
                () -> Arguments.parse(new String[]{"--port", "9090"})).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Arguments.parse(new String[]{"token", "admin"}))
                .getMessage().contains("operator, compliance-officer, dpo, integration"));
        assertThrows(IllegalArgumentException.class, () -> Arguments.parse(new String[]{"database", "now"}));
    }

    @Test
    void verifyAuditTakesItsFilesAsOptions() {
        Arguments parsed = Arguments.parse(new String[]{"verify-audit", "--records", "export.json", "--checkpoint=checkpoint-10",
                "--checkpoint", "checkpoint-20", "--key", "audit-verifier.key"});
        assertEquals("verify-audit", parsed.command());
        assertEquals(List.of("export.json"), parsed.option("--records"));
        assertEquals(List.of("checkpoint-10", "checkpoint-20"), parsed.option("--checkpoint"));
        assertEquals(List.of("audit-verifier.key"), parsed.option("--key"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Arguments.parse(new String[]{"verify-audit", "--records", "r",
                "--checkpoint", "c"})).getMessage().contains("--key is missing"));
        assertEquals("option '--key' needs a value", assertThrows(IllegalArgumentException.class,
                () -> Arguments.parse(new String[]{"verify-audit", "--key"})).getMessage());
        assertEquals("option '--records' belongs to 'verify-audit', not to 'run'", assertThrows(IllegalArgumentException.class,
                () -> Arguments.parse(new String[]{"--records", "r"})).getMessage());
    }

    @Test
    void theHelpNamesEveryCommandAndTheSettingsThatMatterMost() {
        for (String expected : List.of("run ", "token ROLE", "database ", "verify-audit --records FILE", "Exit status 0", "--verbose", "GUESTBRIDGE_HOME", "HTTP_PORT", "HTTPS_PORT", "DB_URL")) {
            assertTrue(Arguments.HELP.contains(expected), expected);
        }
    }
}
