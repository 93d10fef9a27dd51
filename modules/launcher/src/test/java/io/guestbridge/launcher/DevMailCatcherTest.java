package io.guestbridge.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The development run's mail catcher takes what an SMTP client hands over and writes it where the banner says. */
class DevMailCatcherTest {

    @Test
    void onlyWhenNoSmtpServerIsConfigured() {
        assertTrue(DevMailCatcher.wanted(null));
        assertTrue(DevMailCatcher.wanted("  "));
        assertFalse(DevMailCatcher.wanted("smtp.example.com"));
    }

    @Test
    void aMessageSentOverSmtpIsWrittenToItsOwnFile(@TempDir Path home) throws Exception {
        try (DevMailCatcher catcher = DevMailCatcher.start(home.resolve("mail"))) {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), catcher.port())) {
                socket.setSoTimeout(10_000);
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
                OutputStream out = socket.getOutputStream();
                assertTrue(in.readLine().startsWith("220 "));
                for (String[] exchange : new String[][] {{"EHLO guestbridge", "250"}, {"MAIL FROM:<privacy@guestbridge.invalid>", "250"},
                        {"RCPT TO:<ada@example.com>", "250"}, {"DATA", "354"},
                        {"Subject: Your code\r\n\r\nenter this code: 01234567\r\n..a line that started with a dot\r\n.", "250"}, {"QUIT", "221"}}) {
                    out.write((exchange[0] + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    String reply = in.readLine();
                    assertTrue(reply.startsWith(exchange[1]), exchange[0] + " -> " + reply);
                }
            }
            List<Path> mails = awaitMails(catcher.directory());
            assertEquals(1, mails.size());
            String mail = Files.readString(mails.get(0), StandardCharsets.ISO_8859_1);
            assertTrue(mail.contains("enter this code: 01234567"), mail);
            assertTrue(mail.contains("\r\n.a line that started with a dot\r\n"), "dot-stuffing undone: " + mail);
        }
    }

    @Test
    void keepsTheNewestMailsCountingThoseFoundAtTheStart(@TempDir Path home) throws Exception {
        Path directory = Files.createDirectories(home.resolve("mail"));
        Path older = Files.writeString(directory.resolve("20000101-000000-000-1.eml"), "Subject: from an earlier run\r\n");
        Path notMail = Files.writeString(directory.resolve("notes.txt"), "not a mail");
        try (DevMailCatcher catcher = DevMailCatcher.start(directory, 2)) {
            assertTrue(Files.exists(older), "one mail of two kept: nothing to delete yet");
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), catcher.port())) {
                socket.setSoTimeout(10_000);
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
                OutputStream out = socket.getOutputStream();
                assertTrue(in.readLine().startsWith("220 "));
                for (int i = 1; i <= 3; i++) {
                    for (String[] exchange : new String[][] {{"MAIL FROM:<privacy@guestbridge.invalid>", "250"}, {"RCPT TO:<ada@example.com>", "250"},
                            {"DATA", "354"}, {"Subject: mail " + i + "\r\n\r\nbody " + i + "\r\n.", "250"}}) {
                        out.write((exchange[0] + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        assertTrue(in.readLine().startsWith(exchange[1]), exchange[0]);
                    }
                }
            }
            // the third mail's 250 came after it was written and the oldest deleted
            List<String> kept;
            try (Stream<Path> files = Files.list(directory)) {
                kept = files.filter(p -> p.toString().endsWith(".eml")).map(p -> {
                    try {
                        return Files.readString(p, StandardCharsets.ISO_8859_1);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }).sorted().toList();
            }
            assertEquals(2, kept.size(), "the newest two kept: " + kept);
            assertTrue(kept.get(0).contains("body 2") && kept.get(1).contains("body 3"), kept.toString());
            assertFalse(Files.exists(older), "the mail from the earlier run was the oldest");
            assertTrue(Files.exists(notMail), "a file that is not a mail is left alone");
        }
    }

    private static List<Path> awaitMails(Path directory) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            try (Stream<Path> files = Files.list(directory)) {
                List<Path> mails = files.filter(p -> p.toString().endsWith(".eml")).toList();
                if (!mails.isEmpty() || System.currentTimeMillis() > deadline) {
                    return mails;
                }
            }
            Thread.sleep(50);
        }
    }
}
