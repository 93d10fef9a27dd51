package io.guestbridge.app;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaEnumConstant;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import io.guestbridge.platform.api.Envelope;
import io.guestbridge.platform.api.Message;
import io.guestbridge.platform.api.WorkHandler;
import io.guestbridge.platform.api.WorkItem;
import org.junit.jupiter.api.Test;

import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The module rules of the house, checked on the compiled classes of every module: a module's
 * {@code internal} packages are its own, and the modules depend on each other without cycles.
 */
class ModuleBoundariesTest {

    static final List<String> MODULES = List.of("platform", "audit", "access", "identity", "consent", "ingestion", "crmsync", "privacy", "onboarding", "privacycenter", "webpages", "console");

    private final JavaClasses classes = MainClasses.all();

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

    /** Payloads are read by the platform's codec only: a module gets its message typed, never a string to pick apart. */
    static final ArchRule PAYLOADS_ARE_DECODED_BY_THE_CODEC = noClasses().that().resideOutsideOfPackage("io.guestbridge.platform..")
            .should().callMethod(WorkItem.class, "payload")
            .because("a message is a record its handler receives decoded (WorkHandler<T>), not text read by hand");

    /** No message handler parses with regular expressions (what the string payloads were read with). */
    static final ArchRule HANDLERS_DO_NOT_PARSE_TEXT = noClasses().that().implement(WorkHandler.class)
            .should().dependOnClassesThat().resideInAPackage("java.util.regex..")
            .because("a handler receives its message typed").allowEmptyShould(true);

    /** A module's front door names no queue: who consumes a message, and on which queue, is the consumer's business. */
    static final ArchRule APIS_NAME_NO_QUEUE = noFields().that().areDeclaredInClassesThat().resideInAPackage("io.guestbridge.*.api..")
            .and().areDeclaredInClassesThat().resideOutsideOfPackage("io.guestbridge.platform..")
            .should().haveNameMatching("(?i).*queue.*")
            .because("producers publish messages by type; the consumer names its queue when it subscribes").allowEmptyShould(true);

    @Test
    void messagesAreTypedAndRoutedByType() {
        PAYLOADS_ARE_DECODED_BY_THE_CODEC.check(classes);
        HANDLERS_DO_NOT_PARSE_TEXT.check(classes);
        APIS_NAME_NO_QUEUE.check(classes);
        classes().that().implement(Message.class).should().beRecords()
                .because("the codec serialises a message's components, and a record's are all there is").allowEmptyShould(true).check(classes);
    }

    @Test
    void theMessageRulesCatchTheOldWays() {
        JavaClasses violating = new ClassFileImporter().importClasses(RegexHandler.class, io.guestbridge.violation.api.QueueNamingApi.class);
        for (ArchRule rule : List.of(PAYLOADS_ARE_DECODED_BY_THE_CODEC, HANDLERS_DO_NOT_PARSE_TEXT, APIS_NAME_NO_QUEUE)) {
            AssertionError error = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> rule.check(violating),
                    rule.getDescription());
            assertTrue(error.getMessage().contains("RegexHandler") || error.getMessage().contains("QueueNamingApi"), error.getMessage());
        }
    }

    /** A handler that reads its payload by regular expression, as the modules once did, for {@link #theMessageRulesCatchTheOldWays()}. */
    static final class RegexHandler implements WorkHandler<RegexHandler.Anything> {

        record Anything() implements Message {
        }

        private static final java.util.regex.Pattern GUEST = java.util.regex.Pattern.compile("\"guest\":\"([0-9a-f-]{36})\"");

        @Override
        public Class<Anything> type() {
            return Anything.class;
        }

        @Override
        public String queue() {
            return "violation";
        }

        @Override
        public void handle(List<Envelope<Anything>> batch, Outcomes outcomes) {
            batch.forEach(e -> {
                if (GUEST.matcher(e.item().payload()).find()) {
                    outcomes.done(e.item());
                }
            });
        }
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

    private static final DescribedPredicate<JavaClass> USE_AN_ENTITY_MANAGER = DescribedPredicate.describe("use an entity manager",
            c -> c.getFields().stream().anyMatch(f -> f.isAnnotatedWith("jakarta.persistence.PersistenceContext")));

    private static final ArchCondition<JavaMethod> RUN_IN_A_TRANSACTION = new ArchCondition<>("not use it outside a transaction") {
        @Override
        public void check(JavaMethod method, ConditionEvents events) {
            boolean usesIt = method.getFieldAccesses().stream()
                    .anyMatch(a -> a.getTarget().resolveMember().map(f -> f.isAnnotatedWith("jakarta.persistence.PersistenceContext")).orElse(false));
            if (!usesIt) {
                return; // a method handed a connection by its caller runs in whatever the caller runs in
            }
            method.getAnnotations().stream().filter(a -> a.getRawType().getName().equals("jakarta.transaction.Transactional"))
                    .flatMap(a -> a.get("value").stream())
                    .filter(v -> v instanceof JavaEnumConstant constant && !constant.name().equals("REQUIRED") && !constant.name().equals("REQUIRES_NEW")
                            && !constant.name().equals("MANDATORY"))
                    .forEach(v -> events.add(SimpleConditionEvent.violated(method, method.getFullName() + " is @Transactional(" + ((JavaEnumConstant) v).name() + ")")));
        }
    };

    /**
     * An entity manager is used in a transaction: outside one, the container's needs the calling component's invocation,
     * which a queue worker's thread does not have (every CRM batch once failed so, with a NullPointerException).
     */
    static final ArchRule ENTITY_MANAGERS_RUN_IN_A_TRANSACTION = methods().that().areDeclaredInClassesThat(USE_AN_ENTITY_MANAGER)
            .should(RUN_IN_A_TRANSACTION).allowEmptyShould(true);

    @Test
    void entityManagersAreUsedInATransaction() {
        ENTITY_MANAGERS_RUN_IN_A_TRANSACTION.check(classes);
        AssertionError error = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> ENTITY_MANAGERS_RUN_IN_A_TRANSACTION.check(new ClassFileImporter().importClasses(ReadsOutsideATransaction.class)));
        assertTrue(error.getMessage().contains("ReadsOutsideATransaction.find") && error.getMessage().contains("SUPPORTS"), error.getMessage());
    }

    /** Reads an entity wherever it is called from, on purpose, for {@link #entityManagersAreUsedInATransaction()}. */
    static class ReadsOutsideATransaction {
        @jakarta.persistence.PersistenceContext
        jakarta.persistence.EntityManager em;

        @jakarta.transaction.Transactional(jakarta.transaction.Transactional.TxType.SUPPORTS)
        Object find(Object id) {
            return em.find(Object.class, id);
        }
    }
}
