package io.guestbridge.app;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps docs/modules.md equal to what the code says (as Spring Modulith's Documenter does): the test fails when the
 * checked-in file differs from the overview generated from the compiled classes, and names the command that writes it.
 */
class ModuleOverviewTest {

    private static final Logger LOG = Logger.getLogger(ModuleOverviewTest.class.getName());

    static final String WRITE = "GUESTBRIDGE_WRITE_DOCS";

    static final String REGENERATE = WRITE + "=true mvn -B -q test -pl modules/app -am -Dtest=ModuleOverviewTest -Dsurefire.failIfNoSpecifiedTests=false";

    private final JavaClasses classes = MainClasses.all();

    @Test
    void theCheckedInOverviewIsWhatTheCodeSays() throws IOException {
        Path file = repositoryRoot().resolve("docs/modules.md");
        String generated = new ModuleOverview(classes).render();
        if ("true".equals(System.getenv(WRITE))) {
            Files.writeString(file, generated, StandardCharsets.UTF_8);
            LOG.info("wrote " + file);
        }
        String checkedIn = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        assertEquals(generated, checkedIn, "docs/modules.md is not what the code says; regenerate it with\n  " + REGENERATE + "\n");
    }

    @Test
    void theOverviewShowsTheMessagesThatCrossModules() {
        String overview = new ModuleOverview(classes).render();
        // flows the code has: identity publishes GuestChanged, which crmsync's fan-out handles, and GuestStayChanged, which
        // onboarding's stay follower handles
        assertTrue(overview.contains("identity -- GuestChanged --> crmsync"), overview);
        assertTrue(overview.contains("identity -- GuestStayChanged --> onboarding"), overview);
        assertTrue(overview.contains("| `GuestChanged` | identity.api | `identity.internal.ContainerGuestDirectory` | `crmsync.internal.delivery.CrmFanOut` |"),
                overview);
        assertTrue(overview.contains("| `GuestStayChanged` | identity.api | `identity.internal.ContainerGuestDirectory` | "
                + "`onboarding.internal.StayFollower` |"), overview);
    }

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.isDirectory(dir.resolve("modules")) && Files.isDirectory(dir.resolve("docs")))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no repository root (a folder with modules/ and docs/) above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
