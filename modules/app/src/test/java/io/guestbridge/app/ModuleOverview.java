package io.guestbridge.app;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaParameterizedType;
import com.tngtech.archunit.core.domain.JavaType;
import io.guestbridge.platform.api.Message;
import io.guestbridge.platform.api.WorkHandler;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes docs/modules.md from the compiled classes: the modules ({@link ModuleBoundariesTest#MODULES}), their api types, their rooms, who depends on whom, and which messages
 * flow: each {@link Message} record, the classes that create it, and the {@link WorkHandler} of its type that
 * receive it. What it writes depends only on the classes, in a fixed order, so the file changes when the code does.
 */
final class ModuleOverview {

    private static final String BASE = "io.guestbridge.";

    private final JavaClasses classes;
    private final Set<String> modules;

    ModuleOverview(JavaClasses classes) {
        this.classes = classes;
        this.modules = new TreeSet<>(ModuleBoundariesTest.MODULES);
    }

    String render() {
        StringBuilder out = new StringBuilder();
        out.append("# Modules\n\n")
                .append("Generated from the compiled classes by `ModuleOverview` (modules/app/src/test/java/io/guestbridge/app);\n")
                .append("`ModuleOverviewTest` fails when this file differs from what the code says. Do not edit by hand: regenerate with\n\n")
                .append("```\n").append(ModuleOverviewTest.REGENERATE).append("\n```\n\n")
                .append("A module's `api` package is its front door; `internal` is its own, split into rooms by capability where it is\n")
                .append("large. Modules talk through their api or through messages: records implementing `platform.api.Message`,\n")
                .append("published on the work queue in the producer's transaction and received by every `WorkHandler` of their type.\n\n");
        out.append("## Who depends on whom\n\n```mermaid\nflowchart TD\n");
        Map<String, Set<String>> uses = dependencies();
        uses.forEach((module, used) -> used.forEach(other -> out.append("    ").append(module).append(" --> ").append(other).append('\n')));
        out.append("```\n\n");
        out.append("| module | depends on | api types | rooms of internal |\n| --- | --- | --- | --- |\n");
        for (String module : modules) {
            out.append("| `").append(module).append("` | ").append(list(uses.get(module))).append(" | ")
                    .append(list(apiTypes(module))).append(" | ").append(list(rooms(module))).append(" |\n");
        }
        out.append("\n## Messages\n\n");
        List<JavaClass> messages = classes.stream().filter(c -> c.isAssignableTo(Message.class) && !c.isInterface())
                .sorted((a, b) -> a.getName().compareTo(b.getName())).toList();
        out.append("```mermaid\nflowchart LR\n");
        Set<String> flows = new TreeSet<>();
        for (JavaClass message : messages) {
            for (String producer : moduleNames(producers(message))) {
                for (String consumer : moduleNames(handlers(message))) {
                    flows.add("    " + producer + " -- " + message.getSimpleName() + " --> " + consumer);
                }
            }
        }
        flows.forEach(flow -> out.append(flow).append('\n'));
        out.append("```\n\n");
        out.append("| message | owned by | created by | handled by |\n| --- | --- | --- | --- |\n");
        for (JavaClass message : messages) {
            out.append("| `").append(message.getSimpleName()).append("` | ").append(relative(message.getPackageName())).append(" | ")
                    .append(list(names(producers(message)))).append(" | ").append(list(names(handlers(message)))).append(" |\n");
        }
        return out.toString();
    }

    /** Module → the other modules whose classes its classes use. */
    private Map<String, Set<String>> dependencies() {
        Map<String, Set<String>> uses = new TreeMap<>();
        modules.forEach(m -> uses.put(m, new TreeSet<>()));
        for (JavaClass c : classes) {
            module(c).ifPresent(from -> c.getDirectDependenciesFromSelf().forEach(d -> module(d.getTargetClass())
                    .filter(to -> !to.equals(from)).ifPresent(to -> uses.get(from).add(to))));
        }
        return uses;
    }

    private Optional<String> module(JavaClass c) {
        String p = c.getPackageName();
        if (!p.startsWith(BASE)) {
            return Optional.empty();
        }
        String first = p.substring(BASE.length()).split("\\.")[0];
        return modules.contains(first) ? Optional.of(first) : Optional.empty();
    }

    private Set<String> apiTypes(String module) {
        return classes.stream().filter(c -> c.getPackageName().equals(BASE + module + ".api") && c.isTopLevelClass())
                .filter(c -> c.getModifiers().contains(JavaModifier.PUBLIC)).map(JavaClass::getSimpleName)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private Set<String> rooms(String module) {
        String internal = BASE + module + ".internal.";
        return classes.stream().map(JavaClass::getPackageName).filter(p -> p.startsWith(internal))
                .map(p -> p.substring(internal.length()).split("\\.")[0]).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The classes that create the message: its constructor's callers, and the callers of its static factories. */
    private Set<JavaClass> producers(JavaClass message) {
        Stream<JavaClass> constructing = message.getConstructorCallsToSelf().stream().map(call -> call.getOriginOwner());
        Stream<JavaClass> factories = message.getMethodCallsToSelf().stream()
                .filter(call -> call.getTarget().resolveMember().map(m -> m.getModifiers().contains(JavaModifier.STATIC)
                        && m.getRawReturnType().equals(message)).orElse(false))
                .map(call -> call.getOriginOwner());
        return Stream.concat(constructing, factories).map(ModuleOverview::topLevel).filter(c -> !c.equals(message))
                .collect(Collectors.toCollection(() -> new TreeSet<>((a, b) -> a.getName().compareTo(b.getName()))));
    }

    /** The handlers whose {@code WorkHandler<T>} names this message. */
    private Set<JavaClass> handlers(JavaClass message) {
        Set<JavaClass> found = new TreeSet<>((a, b) -> a.getName().compareTo(b.getName()));
        for (JavaClass c : classes) {
            for (JavaType type : c.getInterfaces()) {
                if (type instanceof JavaParameterizedType parameterized && parameterized.toErasure().isEquivalentTo(WorkHandler.class)
                        && parameterized.getActualTypeArguments().stream().anyMatch(t -> t.toErasure().equals(message))) {
                    found.add(c);
                }
            }
        }
        return found;
    }

    private static JavaClass topLevel(JavaClass c) {
        JavaClass current = c;
        while (current.getEnclosingClass().isPresent()) {
            current = current.getEnclosingClass().get();
        }
        return current;
    }

    private Set<String> moduleNames(Set<JavaClass> owners) {
        return owners.stream().map(this::module).flatMap(Optional::stream).collect(Collectors.toCollection(TreeSet::new));
    }

    private static List<String> names(Set<JavaClass> owners) {
        List<String> names = new ArrayList<>();
        owners.forEach(c -> names.add(relative(c.getPackageName()) + "." + c.getSimpleName()));
        return names;
    }

    private static String relative(String packageName) {
        return packageName.startsWith(BASE) ? packageName.substring(BASE.length()) : packageName;
    }

    private static String list(java.util.Collection<String> values) {
        return values == null || values.isEmpty() ? "—" : values.stream().map(v -> "`" + v + "`").collect(Collectors.joining(", "));
    }
}
