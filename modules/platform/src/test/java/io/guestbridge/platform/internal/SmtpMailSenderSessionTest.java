package io.guestbridge.platform.internal;

import io.guestbridge.platform.testing.MapConfig;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/** One mail session while the settings stay, a new one as soon as any of them changes (a relay, a port, a password). */
class SmtpMailSenderSessionTest {

    private final Map<String, String> settings = new HashMap<>(Map.of("privacy.mail.smtp-host", "127.0.0.1", "privacy.mail.smtp-port", "2525"));
    private final SmtpMailSender sender = new SmtpMailSender();

    SmtpMailSenderSessionTest() {
        sender.config = new MapConfig(settings);
    }

    @Test
    void mailsOfTheSameSettingsShareOneSession() {
        Session first = sender.session();
        assertSame(first, sender.session());
        assertEquals("2525", first.getProperty("mail.smtp.port"));
    }

    @Test
    void aChangedRelayOrPortTakesEffectWithTheNextMail() {
        Session first = sender.session();
        settings.put("privacy.mail.smtp-port", "587");
        Session second = sender.session();
        assertNotSame(first, second);
        assertEquals("587", second.getProperty("mail.smtp.port"));
        assertSame(second, sender.session());
    }

    @Test
    void aReplacedPasswordTakesEffectWithTheNextMail() throws Exception {
        settings.put("privacy.mail.username", "relay-user");
        settings.put("privacy.mail.password", "first");
        Session first = sender.session();
        assertEquals("first", password(first));
        settings.put("privacy.mail.password", "second");
        Session second = sender.session();
        assertNotSame(first, second);
        assertEquals("second", password(second));
        assertEquals("true", second.getProperty("mail.smtp.auth"));
    }

    /** Jakarta Mail then finds its stream provider by name, not by a service lookup through every jar, for each message. */
    @Test
    void theFirstSessionNamesTheMailStreamProviderUnlessTheOperatorDid() throws Exception {
        String before = System.getProperty(SmtpMailSender.STREAM_PROVIDER);
        try {
            System.clearProperty(SmtpMailSender.STREAM_PROVIDER);
            sender.session();
            assertEquals(SmtpMailSender.ANGUS_STREAM_PROVIDER, System.getProperty(SmtpMailSender.STREAM_PROVIDER));
            assertEquals(SmtpMailSender.ANGUS_STREAM_PROVIDER, jakarta.mail.util.StreamProvider.provider().getClass().getName());

            System.setProperty(SmtpMailSender.STREAM_PROVIDER, "operator.Choice");
            SmtpMailSender.nameTheStreamProvider();
            assertEquals("operator.Choice", System.getProperty(SmtpMailSender.STREAM_PROVIDER));
        } finally {
            if (before == null) {
                System.clearProperty(SmtpMailSender.STREAM_PROVIDER);
            } else {
                System.setProperty(SmtpMailSender.STREAM_PROVIDER, before);
            }
        }
    }

    private static String password(Session session) throws Exception {
        PasswordAuthentication given = session.requestPasswordAuthentication(InetAddress.getLoopbackAddress(), 25, "smtp", null, "relay-user");
        return given.getPassword();
    }
}
