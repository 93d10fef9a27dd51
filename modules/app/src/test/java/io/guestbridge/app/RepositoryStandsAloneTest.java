package io.guestbridge.app;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The repository is read by people who have none of the documents and tickets it was built from: code,
 * comments, README, benchmarks and the published contract state the facts they stood for ("Purple retries
 * every 3 hours"), never a pointer to a source document or an issue number.
 */
class RepositoryStandsAloneTest {

    /** A pointer to a source document (the word seed and a three-digit number) or to a ticket (the word issue and a number). */
    private static final Pattern POINTER = Pattern.compile("(?i)\\bseed[ _-]?0\\d\\d\\b|\\bissues?\\s*#\\d+");

    /**
     * Flyway migrations already applied somewhere cannot change, not even a comment: Flyway refuses to start when
     * an applied migration's checksum differs. These two predate the rule.
     */
    private static final Set<String> IMMUTABLE = Set.of("db/migration/V6__consent_ledger.sql", "db/migration/V12__privacy_lifecycle.sql");

    private static final Set<String> READ = Set.of("java", "md", "yaml", "yml", "properties", "sql", "sh", "xml", "asadmin", "json", "html", "css", "js");

    @Test
    void noFileReferencesASourceDocumentOrAnIssue() throws IOException {
        Path root = repositoryRoot();
        List<String> found = new ArrayList<>();
        int files = 0;
        for (Path file : files(root)) {
            String relative = root.relativize(file).toString().replace('\\', '/');
            if (IMMUTABLE.contains(relative)) {
                continue;
            }
            files++;
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
            } catch (CharacterCodingException binary) {
                continue;
            }
            Matcher m = POINTER.matcher(text);
            while (m.find()) {
                int line = 1 + (int) text.substring(0, m.start()).chars().filter(c -> c == '\n').count();
                found.add(relative + ":" + line + ": " + m.group());
            }
        }
        assertTrue(files > 200, "the repository's files were found: " + files + " under " + root);
        assertEquals(List.of(), found, "write out the fact the reference stood for");
    }

    @Test
    void thePatternFindsWhatItLooksFor() {
        // assembled, so that this file does not contain what it forbids
        for (String pointer : List.of("see seed " + "003", "(Seed " + "000: thing)", "arrives with issue " + "#4", "seed_" + "002", "Issue " + "#12", "(issues " + "#3 and #4)")) {
            assertTrue(POINTER.matcher(pointer).find(), pointer);
        }
        for (String fact : List.of("a random seed", "seeded 100 rows", "colour #12ab00", "the 3rd issue")) {
            assertTrue(!POINTER.matcher(fact).find(), fact);
        }
    }

    /** Tracked-looking files: sources, docs and scripts, without build output, VCS data or node modules. */
    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> {
                        String path = root.relativize(p).toString().replace('\\', '/');
                        return !path.startsWith(".git/") && !path.contains("/target/") && !path.startsWith("target/")
                                && !path.contains("node_modules/") && !path.startsWith(".idea/");
                    })
                    .filter(p -> {
                        String name = p.getFileName().toString();
                        int dot = name.lastIndexOf('.');
                        return dot > 0 && READ.contains(name.substring(dot + 1));
                    })
                    .sorted()
                    .toList();
        }
    }

    /** The checkout's root: the first directory up from here that holds modules/ and openapi/. */
    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.isDirectory(dir.resolve("modules")) && Files.isDirectory(dir.resolve("openapi")))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("not inside the guestbridge repository: " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
