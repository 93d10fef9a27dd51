package io.guestbridge.platform.internal;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.guestbridge.platform.api.MailSender.OutgoingMail;
import io.guestbridge.platform.testing.MapConfig;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A batch of mails goes to a real SMTP relay (GreenMail) over one connection, each mail's fate reported in its place: a
 * mail that cannot be composed fails alone, a relay that cannot be reached fails the whole batch at once.
 */
class SmtpMailSenderBatchTest {

    private GreenMail relay;
    private ConnectionCounter counter;
    private final SmtpMailSender sender = new SmtpMailSender();

    @BeforeEach
    void start() throws IOException {
        relay = new GreenMail(new ServerSetup(0, "127.0.0.1", "smtp"));
        relay.start();
        counter = new ConnectionCounter(relay.getSmtp().getPort());
        sender.config = new MapConfig(Map.of("privacy.mail.smtp-host", "127.0.0.1", "privacy.mail.smtp-port", String.valueOf(counter.port()),
                "privacy.mail.from", "privacy@venue.example"));
    }

    @AfterEach
    void stop() throws IOException {
        counter.close();
        relay.stop();
    }

    @Test
    void aBatchTravelsOverOneConnectionInOrder() throws Exception {
        List<Optional<MessagingException>> results = sender.sendAll(List.of(mail("ada@example.com", "first"), mail("bob@example.com", "second"),
                mail("cyd@example.com", "third")));

        assertEquals(List.of(Optional.empty(), Optional.empty(), Optional.empty()), results);
        MimeMessage[] received = relay.getReceivedMessages();
        assertEquals(3, received.length);
        assertEquals(List.of("first", "second", "third"), List.of(received[0].getSubject(), received[1].getSubject(), received[2].getSubject()));
        assertEquals("bob@example.com", received[1].getAllRecipients()[0].toString());
        assertEquals(1, counter.connections.get(), "one connection to the relay for the whole batch");
    }

    @Test
    void aMailThatCannotBeSentFailsAloneAndTheRestGoOut() throws Exception {
        List<Optional<MessagingException>> results = sender.sendAll(List.of(mail("ada@example.com", "first"), mail("not an address", "broken"),
                mail("cyd@example.com", "third")));

        assertTrue(results.get(0).isEmpty());
        assertTrue(results.get(1).isPresent(), "the broken address is reported");
        assertTrue(results.get(2).isEmpty());
        assertEquals(2, relay.getReceivedMessages().length);
    }

    @Test
    void anUnreachableRelayFailsEveryMailOfTheBatch() throws Exception {
        counter.close();
        relay.stop(); // nothing listens on the configured port any more

        List<Optional<MessagingException>> results = sender.sendAll(List.of(mail("ada@example.com", "first"), mail("bob@example.com", "second")));

        assertEquals(2, results.size());
        assertTrue(results.stream().allMatch(Optional::isPresent), "both mails report the relay's absence: " + results);
    }

    @Test
    void anEmptyBatchAsksNothingOfTheRelay() {
        assertEquals(List.of(), sender.sendAll(List.of()));
        assertEquals(0, counter.connections.get());
    }

    private static OutgoingMail mail(String to, String subject) {
        return OutgoingMail.text(to, subject, "Your request " + subject + " is done.");
    }

    /** A loopback TCP relay in front of the SMTP server that counts the connections made through it. */
    private static final class ConnectionCounter implements AutoCloseable {

        final AtomicInteger connections = new AtomicInteger();
        private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());

        ConnectionCounter(int target) throws IOException {
            Thread accepting = new Thread(() -> {
                while (!listener.isClosed()) {
                    try {
                        Socket client = listener.accept();
                        connections.incrementAndGet();
                        Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
                        pump(client, server);
                        pump(server, client);
                    } catch (IOException e) {
                        return; // closed
                    }
                }
            }, "smtp-connection-counter");
            accepting.setDaemon(true);
            accepting.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        private static void pump(Socket from, Socket to) {
            Thread copying = new Thread(() -> {
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    in.transferTo(out);
                } catch (IOException e) {
                    // one side closed: the other follows
                } finally {
                    try {
                        to.close();
                        from.close();
                    } catch (IOException e) {
                        // already closed
                    }
                }
            }, "smtp-connection-counter-copy");
            copying.setDaemon(true);
            copying.start();
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }
}
