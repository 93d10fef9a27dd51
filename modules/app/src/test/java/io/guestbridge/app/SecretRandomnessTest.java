package io.guestbridge.app;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every random value the server makes comes from {@link java.security.SecureRandom}: verification
 * codes, export tokens, source keys, passphrases, data keys, and the jitter of retries too, so that no
 * predictable generator is at hand to be reused for a secret by mistake. (A peer privacy platform once
 * mailed verification codes drawn from a non-cryptographic generator.) The CRM emulator is a test tool,
 * never deployed, and may use seeded generators for repeatable benchmarks.
 */
class SecretRandomnessTest {

    static final ArchRule ONLY_SECURE_RANDOM = noClasses()
            .that().resideInAPackage("io.guestbridge..")
            .and().resideOutsideOfPackage("io.guestbridge.crmemulator..")
            .should().dependOnClassesThat().haveFullyQualifiedName("java.util.Random")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.concurrent.ThreadLocalRandom")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.SplittableRandom")
            .orShould().callMethod(Math.class, "random")
            .orShould().callMethod(StrictMath.class, "random")
            .because("secrets (codes, tokens, keys, passphrases) must come from SecureRandom, and one generator for everything keeps it so");

    @Test
    void serverCodeDrawsRandomnessOnlyFromSecureRandom() {
        // not the platform's test-jar either: a seeded generator that makes a store test's interleaving repeatable
        // is not server code
        ONLY_SECURE_RANDOM.check(MainClasses.all());
    }

    @Test
    void theRuleCatchesEachForbiddenGenerator() {
        for (Class<?> offender : new Class<?>[] {UsesRandom.class, UsesThreadLocalRandom.class, UsesMathRandom.class}) {
            JavaClasses violating = new ClassFileImporter().importClasses(offender);
            AssertionError error = assertThrows(AssertionError.class, () -> ONLY_SECURE_RANDOM.check(violating), offender.getSimpleName());
            assertTrue(error.getMessage().contains(offender.getSimpleName()));
        }
        ONLY_SECURE_RANDOM.check(new ClassFileImporter().importClasses(UsesSecureRandom.class));
    }

    static final class UsesRandom {
        int code() {
            return new java.util.Random().nextInt(100_000_000);
        }
    }

    static final class UsesThreadLocalRandom {
        int code() {
            return java.util.concurrent.ThreadLocalRandom.current().nextInt(100_000_000);
        }
    }

    static final class UsesMathRandom {
        int code() {
            return (int) (Math.random() * 100_000_000);
        }
    }

    static final class UsesSecureRandom {
        int code() {
            return new java.security.SecureRandom().nextInt(100_000_000);
        }
    }
}
