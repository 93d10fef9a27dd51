package io.guestbridge.app.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The README's walkthrough as a reader runs it: exactly the {@code sh} blocks between its two marker
 * comments, in order, in one bash session, with the one substitution the reader makes, the banner's
 * {@code export} line pasted for the README's example of it. Each block's output is returned for the
 * test to check what the reader should see.
 */
final class ReadmeWalkthrough {

    static final String START = "<!-- walkthrough:";
    static final String END = "<!-- walkthrough-end -->";
    private static final String MARK = "@@@ walkthrough block ";

    private ReadmeWalkthrough() {
    }

    /** The sh blocks of the walkthrough section of the README. */
    static List<String> blocks(Path readme) throws IOException {
        List<String> lines = Files.readAllLines(readme, StandardCharsets.UTF_8);
        int start = -1;
        int end = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(START)) {
                start = i;
            } else if (lines.get(i).startsWith(END)) {
                end = i;
            }
        }
        assertTrue(start >= 0 && end > start, "README.md marks its walkthrough with " + START + " … " + END);
        List<String> blocks = new ArrayList<>();
        StringBuilder block = null;
        for (String line : lines.subList(start + 1, end)) {
            if (block == null && line.equals("```sh")) {
                block = new StringBuilder();
            } else if (block != null && line.equals("```")) {
                blocks.add(block.toString());
                block = null;
            } else if (block != null) {
                block.append(line).append('\n');
            } else {
                assertTrue(!line.startsWith("```"), "every code block of the walkthrough is an sh block: " + line);
            }
        }
        return blocks;
    }

    /**
     * Runs the blocks in one bash (stopping at the first failing command), the first block's example
     * {@code export} line replaced by the banner's; returns each block's output (stdout and stderr).
     */
    static List<String> run(List<String> blocks, String bannerExport, Path workDirectory, long timeoutSeconds) throws Exception {
        StringBuilder script = new StringBuilder("set -euo pipefail\n");
        for (int i = 0; i < blocks.size(); i++) {
            String block = blocks.get(i);
            if (i == 0) {
                List<String> exports = block.lines().filter(l -> l.startsWith("export GUESTBRIDGE=")).toList();
                assertEquals(1, exports.size(), "the first block holds the one line the reader pastes from the banner: " + block);
                assertTrue(exports.get(0).startsWith("export GUESTBRIDGE=http://127.0.0.1:8080 TOKEN=eyJ"), "in the banner's form: " + exports.get(0));
                assertTrue(bannerExport.startsWith("export GUESTBRIDGE=http://127.0.0.1:") && bannerExport.contains(" TOKEN=eyJ"), bannerExport);
                block = block.replace(exports.get(0), bannerExport);
            }
            script.append("echo '").append(MARK).append(i).append("'\n").append(block);
        }
        Files.createDirectories(workDirectory);
        Path file = workDirectory.resolve("walkthrough.sh");
        Files.writeString(file, script, StandardCharsets.UTF_8);
        Path output = workDirectory.resolve("walkthrough-output.txt");
        Process bash = new ProcessBuilder("bash", file.toString()).directory(workDirectory.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        if (!bash.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            bash.destroyForcibly();
            fail("the walkthrough did not finish within " + timeoutSeconds + " s: " + Files.readString(output));
        }
        String text = Files.readString(output, StandardCharsets.UTF_8);
        assertEquals(0, bash.exitValue(), "every command of the walkthrough succeeds; its output:\n" + text);
        List<String> outputs = new ArrayList<>();
        String[] parts = text.split(java.util.regex.Pattern.quote(MARK) + "\\d+\n", -1);
        for (int i = 1; i < parts.length; i++) {
            outputs.add(parts[i]);
        }
        assertEquals(blocks.size(), outputs.size(), "an output for every block:\n" + text);
        return outputs;
    }
}
