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
