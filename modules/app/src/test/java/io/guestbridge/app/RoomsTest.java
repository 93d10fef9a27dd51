package io.guestbridge.app;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import io.guestbridge.violation.internal.connectors.first.FirstClient;
import io.guestbridge.violation.internal.connectors.second.SecondClient;
import io.guestbridge.violation.internal.intake.EagerWebhook;
import io.guestbridge.violation.internal.processing.Parser;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rooms inside a module: sub-packages of {@code internal} by capability, and which room may use which.
 * A room not named as allowed is out of reach, so a new dependency between rooms is a decision made here.
 */
class RoomsTest {

    /**
     * crmsync: the connectors (the port and one room per CRM) stand on nothing else of the module; the CRM ids of
     * guests (links) on the connectors' settings; delivery and the CRMs' inbound webhooks on both; the operators'
     * view on delivery too; sponsors on the connectors' vocabulary of guest values only.
     */
    static final Map<String, Set<String>> CRMSYNC = rooms(
            "connectors", Set.of(),
            "links", Set.of("connectors"),
            "delivery", Set.of("connectors", "links"),
            "inbound", Set.of("connectors", "links"),
            "operations", Set.of("connectors", "links", "delivery"),
            "sponsors", Set.of("connectors"));

    /**
     * ingestion: the inbox (storage, retention, the subject's part of it) and the sources registry at the bottom;
     * intake, the hot path, is a webhook resource and the inbox, nothing else; processing reads what intake stored;
     * imports and quarantine feed rows back through processing's reader.
     */
    static final Map<String, Set<String>> INGESTION = rooms(
            "sources", Set.of(),
            "inbox", Set.of(),
            "intake", Set.of("inbox", "sources"),
            "processing", Set.of("inbox", "sources"),
            "imports", Set.of("inbox", "sources", "processing"),
            "quarantine", Set.of("inbox", "sources", "processing"));

    /**
     * privacy: the stored request (types, regimes, states, its steps and their rules, its store), the data map and the suppression list
     * stand on nothing else of the module; an access export on the request and the data map; notices on the request and its
     * export; the steps on all of these; the life cycle (intake, verification, approval, the clock) starts the steps. The
     * subjects' portal and the staff's side stand on the life cycle and never on each other; retention erases inactive guests
     * through the life cycle, and only the staff's record of processing reads its policies.
     */
    static final Map<String, Set<String>> PRIVACY = rooms(
            "requests", Set.of(),
            "datamap", Set.of(),
            "suppression", Set.of(),
            "exports", Set.of("requests", "datamap"),
            "notices", Set.of("requests", "suppression", "exports"),
            "steps", Set.of("requests", "datamap", "suppression", "exports", "notices"),
            "lifecycle", Set.of("requests", "datamap", "suppression", "notices", "steps"),
            "portal", Set.of("requests", "suppression", "exports", "notices", "lifecycle"),
            "retention", Set.of("requests", "suppression", "lifecycle"),
            "staff", Set.of("requests", "datamap", "suppression", "exports", "steps", "lifecycle", "retention"));

    private final JavaClasses classes = MainClasses.all()
            .that(JavaClass.Predicates.resideInAnyPackage("io.guestbridge.crmsync..", "io.guestbridge.ingestion..", "io.guestbridge.privacy.."));

    @Test
    void crmsyncRoomsUseOnlyTheRoomsBelowThem() {
        roomRules("crmsync", CRMSYNC).forEach(rule -> rule.check(classes));
    }

    @Test
    void ingestionRoomsUseOnlyTheRoomsBelowThem() {
        roomRules("ingestion", INGESTION).forEach(rule -> rule.check(classes));
    }

    @Test
    void privacyRoomsUseOnlyTheRoomsBelowThem() {
        roomRules("privacy", PRIVACY).forEach(rule -> rule.check(classes));
    }

    @Test
    void oneConnectorNeverUsesAnother() {
        connectorsApart("crmsync").check(classes);
    }

    @Test
    void everyClassOfTheseModulesLivesInARoom() {
        for (var module : Map.of("crmsync", CRMSYNC, "ingestion", INGESTION, "privacy", PRIVACY).entrySet()) {
            String internal = "io.guestbridge." + module.getKey() + ".internal";
            List<String> homeless = classes.stream().filter(c -> !c.getSimpleName().equals("package-info")).map(c -> c.getPackageName()).filter(p -> p.startsWith(internal))
                    .filter(p -> module.getValue().keySet().stream().noneMatch(room -> p.equals(internal + "." + room) || p.startsWith(internal + "." + room + ".")))
                    .distinct().toList();
            assertTrue(homeless.isEmpty(), "packages of " + module.getKey() + " outside every room (add the room above): " + homeless);
        }
    }

    @Test
    void theRoomRulesCatchAViolation() {
        // guards against rules that can never fail: run them on a fixture module that breaks them
        JavaClasses violating = new ClassFileImporter().importClasses(FirstClient.class, SecondClient.class, EagerWebhook.class, Parser.class);
        AssertionError borrowed = assertThrows(AssertionError.class, () -> connectorsApart("violation").check(violating));
        assertTrue(borrowed.getMessage().contains("FirstClient"), borrowed.getMessage());
        List<ArchRule> rules = roomRules("violation", rooms("processing", Set.of(), "intake", Set.of(), "connectors", Set.of()));
        AssertionError hurried = assertThrows(AssertionError.class, () -> rules.forEach(rule -> rule.check(violating)));
        assertTrue(hurried.getMessage().contains("EagerWebhook"), hurried.getMessage());
    }

    /** One rule a room: it uses no room of its module but those it is allowed; and the rooms form no cycle. */
    static List<ArchRule> roomRules(String module, Map<String, Set<String>> rooms) {
        String internal = "io.guestbridge." + module + ".internal.";
        List<ArchRule> rules = new ArrayList<>();
        for (var room : rooms.entrySet()) {
            String[] outOfReach = rooms.keySet().stream().filter(other -> !other.equals(room.getKey()) && !room.getValue().contains(other))
                    .map(other -> internal + other + "..").toArray(String[]::new);
            if (outOfReach.length > 0) {
                rules.add(noClasses().that().resideInAPackage(internal + room.getKey() + "..")
                        .should().dependOnClassesThat().resideInAnyPackage(outOfReach)
                        .because(module + "'s " + room.getKey() + " uses only " + (room.getValue().isEmpty() ? "no other room" : room.getValue()))
                        .allowEmptyShould(true));
            }
        }
        rules.add(slices().matching("io.guestbridge." + module + ".internal.(*)..").should().beFreeOfCycles().allowEmptyShould(true));
        return rules;
    }

    /** Each CRM's client in a room of its own under connectors, none using another's: what they share is in connectors itself. */
    static ArchRule connectorsApart(String module) {
        return slices().matching("io.guestbridge." + module + ".internal.connectors.(*)..").should().notDependOnEachOther()
                .because("one CRM's quirks stay in its own room; what connectors share lives in the connectors package").allowEmptyShould(true);
    }

    private static Map<String, Set<String>> rooms(Object... roomThenAllowed) {
        Map<String, Set<String>> rooms = new LinkedHashMap<>();
        for (int i = 0; i < roomThenAllowed.length; i += 2) {
            @SuppressWarnings("unchecked")
            Set<String> allowed = (Set<String>) roomThenAllowed[i + 1];
            rooms.put((String) roomThenAllowed[i], allowed);
        }
        return rooms;
    }
}
