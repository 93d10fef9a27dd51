package io.guestbridge.audit.internal;

import io.guestbridge.tlog.Checkpoint;
import io.guestbridge.tlog.NoteKey;
import com.sun.net.httpserver.HttpServer;
import io.guestbridge.platform.api.OutboundTargets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WitnessSinksTest {

    private static final NoteKey KEY = NoteKey.signer(NoteKey.generate("guestbridge.test/audit"));

    @Test
    void theDirectoryKeepsEveryCheckpointAndTheLatest(@TempDir Path dir) throws IOException {
        String first = KEY.sign(new Checkpoint(KEY.name(), 3, new byte[32]).text());
        String second = KEY.sign(new Checkpoint(KEY.name(), 7, new byte[32]).text());
        WitnessSinks.writeTo(dir.resolve("witness"), 3, first);
        WitnessSinks.writeTo(dir.resolve("witness"), 7, second);
        assertEquals(first, Files.readString(dir.resolve("witness/checkpoint-3")));
        assertEquals(second, Files.readString(dir.resolve("witness/checkpoint-7")));
        assertEquals(second, Files.readString(dir.resolve("witness/checkpoint")));
        try (var files = Files.list(dir.resolve("witness"))) {
            assertEquals(3, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void theUrlReceivesTheNoteWithTheTokenAndAFailureIsReported() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/witness", exchange -> {
            received.add(exchange.getRequestHeaders().getFirst("Authorization") + "|" + exchange.getRequestHeaders().getFirst("Content-Type")
                    + "|" + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        server.createContext("/refusing", exchange -> {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        server.start();
        try {
            HttpClient client = new OutboundTargets(true, false).guard(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build());
            String note = KEY.sign(new Checkpoint(KEY.name(), 12, new byte[32]).text());
            URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
            WitnessSinks.postTo(client, base.resolve("/witness"), Optional.of("witness-token"), note);
            assertEquals(List.of("Bearer witness-token|text/plain; charset=utf-8|" + note), received);
            IOException refused = assertThrows(IOException.class, () -> WitnessSinks.postTo(client, base.resolve("/refusing"), Optional.empty(), note));
            assertTrue(refused.getMessage().contains("503"), refused.getMessage());
            HttpClient strict = new OutboundTargets(false, false).guard(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build());
            assertThrows(IOException.class, () -> WitnessSinks.postTo(strict, base.resolve("/witness"), Optional.empty(), note),
                    "the outbound policy applies: loopback is refused unless allowed");
            assertEquals(1, received.size());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aCheckpointIsMailedAtTheFirstCheckpointThenOncePerInterval() {
        java.time.Instant start = java.time.Instant.parse("2026-12-02T10:00:00Z");
        java.time.Duration day = java.time.Duration.ofDays(1);
        assertTrue(WitnessSinks.mailDue(null, day, start), "the first checkpoint after a start is mailed");
        assertTrue(!WitnessSinks.mailDue(start, day, start.plusSeconds(3600)), "not again within the interval");
        assertTrue(WitnessSinks.mailDue(start, day, start.plus(day)), "again once the interval has passed");
    }

    @Test
    void theMailCarriesTheSignedNoteWholeBetweenMarkersSoItVerifiesLater() {
        String note = KEY.sign(new Checkpoint(KEY.name(), 42, new byte[32]).text());
        String text = WitnessSinks.witnessMail(note);
        int begin = text.indexOf(WitnessSinks.BEGIN + "\n") + WitnessSinks.BEGIN.length() + 1;
        int end = text.indexOf(WitnessSinks.END);
        assertEquals(note, text.substring(begin, end), "the note exactly as signed");
        assertEquals(42, Checkpoint.parse(text.substring(begin, text.indexOf("\n\n", begin) + 1)).size());
    }
}
