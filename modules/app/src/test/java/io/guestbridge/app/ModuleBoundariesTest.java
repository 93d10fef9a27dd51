package io.guestbridge.app;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The module rules of the house, checked on the compiled classes of every module: a module's
 * {@code internal} packages are its own, and the modules depend on each other without cycles.
 */
class ModuleBoundariesTest {

    static final List<String> MODULES = List.of("platform", "audit", "access", "identity", "consent", "ingestion", "crmsync", "privacy", "privacycenter");

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.guestbridge");

    @Test
    void everyModuleIsOnTheClasspath() {
        for (String module : MODULES) {
            assertTrue(classes.containPackage("io.guestbridge." + module + ".api")
                            || classes.stream().anyMatch(c -> c.getPackageName().startsWith("io.guestbridge." + module)),
                    "module " + module + " was imported");
        }
    }

    @Test
    void noModuleReachesIntoAnotherModulesInternals() {
        for (String module : MODULES) {
            ArchRule rule = noClasses().that().resideOutsideOfPackage("io.guestbridge." + module + "..")
                    .should().dependOnClassesThat().resideInAPackage("io.guestbridge." + module + ".internal..")
                    .because("only " + module + "'s api package is its front door")
                    .allowEmptyShould(true);
            rule.check(classes);
        }
    }

    @Test
    void modulesDependOnEachOtherWithoutCycles() {
        slices().matching("io.guestbridge.(*)..").should().beFreeOfCycles().allowEmptyShould(true).check(classes);
    }

    @Test
    void moduleApisDoNotDependOnAnyInternals() {
        noClasses().that().resideInAPackage("io.guestbridge.*.api..")
                .should().dependOnClassesThat().resideInAPackage("io.guestbridge.*.internal..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void theRuleCatchesAViolation() {
        // a guard against a rule that can never fail: run it on classes that do break it
        JavaClasses violating = new ClassFileImporter().importClasses(Violation.class, io.guestbridge.audit.internal.AuditRecord.class);
        ArchRule rule = noClasses().that().resideOutsideOfPackage("io.guestbridge.audit..")
                .should().dependOnClassesThat().resideInAPackage("io.guestbridge.audit.internal..");
        AssertionError error = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> rule.check(violating));
        assertTrue(error.getMessage().contains("Violation"));
    }

    /** Reaches into the audit module's internals on purpose, for {@link #theRuleCatchesAViolation()}. */
    static final class Violation {
        long seq(io.guestbridge.audit.internal.AuditRecord record) {
            return record.seq();
        }
    }
}
