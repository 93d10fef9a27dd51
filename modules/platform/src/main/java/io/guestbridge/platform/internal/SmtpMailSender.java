package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.MailSender;
import jakarta.activation.DataHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.faulttolerance.Bulkhead;
import org.eclipse.microprofile.faulttolerance.Timeout;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * {@link MailSender} over SMTP. The timeouts bound one send below the work queue's lease; the bulkhead keeps a slow
 * relay from taking every worker thread of every queue that mails.
 */
@ApplicationScoped
public class SmtpMailSender implements MailSender {

    @Inject
    Config config;

    @Override
    public boolean enabled() {
        return host().isPresent();
    }

    /** The session of the settings last read, with them: mail settings rarely change, and a session is costly to make. */
    private volatile SessionOf current;

    @Override
    @Timeout(60_000)
    @Bulkhead(5)
    public void send(OutgoingMail mail) throws MessagingException {
        MimeMessage message = compose(session(), mail,
                config.getOptionalValue("privacy.mail.from", String.class).orElse("privacy@guestbridge.invalid"));
        Transport.send(message);
    }

    /**
     * One connection for the whole batch: a connection per mail costs the relay's greeting, EHLO (and TLS, and a login)
     * each time. After a mail the relay refused, the connection is opened again for the next one (the refusal may have
     * ended it); a relay that cannot be reached at all fails the rest at once. Each exchange with the relay is bounded by
     * the session's timeouts, and no mail starts after {@link #BATCH_TIME}, so no whole-call timeout interrupts a batch
     * half-sent (one would lose which of its mails went out).
     */
    @Override
    @Bulkhead(5)
    public List<Optional<MessagingException>> sendAll(List<OutgoingMail> mails) {
        List<Optional<MessagingException>> results = new ArrayList<>(mails.size());
        if (mails.isEmpty()) {
            return results;
        }
        Session session = session();
        String from = config.getOptionalValue("privacy.mail.from", String.class).orElse("privacy@guestbridge.invalid");
        long stopStarting = System.nanoTime() + BATCH_TIME.toNanos();
        Transport transport = null;
        try {
            for (OutgoingMail mail : mails) {
                if (!results.isEmpty() && System.nanoTime() - stopStarting > 0) {
                    results.add(Optional.of(new MessagingException("not attempted: the batch's sending time (" + BATCH_TIME.toSeconds() + " s) ran out")));
                    continue;
                }
                MimeMessage message;
                try {
                    message = compose(session, mail, from);
                    message.saveChanges(); // Transport.send does it; sendMessage leaves it to us
                } catch (MessagingException e) {
                    results.add(Optional.of(e));
                    continue;
                }
                if (transport == null) {
                    try {
                        transport = session.getTransport();
                        transport.connect();
                    } catch (MessagingException e) {
                        transport = null;
                        while (results.size() < mails.size()) {
                            results.add(Optional.of(e)); // the relay is unreachable: the rest would wait for the same timeout each
                        }
                        break;
                    }
                }
                try {
                    transport.sendMessage(message, message.getAllRecipients());
                    results.add(Optional.empty());
                } catch (MessagingException e) {
                    results.add(Optional.of(e));
                    close(transport);
                    transport = null;
                }
            }
        } finally {
            close(transport);
        }
        return results;
    }

    private static void close(Transport transport) {
        if (transport != null) {
            try {
                transport.close();
            } catch (MessagingException e) {
                // the mails are sent or failed already; a QUIT the relay did not answer changes neither
            }
        }
    }

    /**
     * The mail session for the settings as they are now. Making one reads the mail providers' lists from every jar the
     * class loader sees; per mail, that was a good part of the CPU a privacy request's two mails cost. The settings are
     * still read on every send, so a changed relay or password (a secret file replaced) takes effect with the next mail.
     */
    Session session() {
        String host = host().orElseThrow(() -> new IllegalStateException("privacy.mail.smtp-host is not configured"));
        Map<String, String> properties = new TreeMap<>();
        properties.put("mail.transport.protocol", "smtp");
        properties.put("mail.smtp.host", host);
        properties.put("mail.smtp.port", config.getOptionalValue("privacy.mail.smtp-port", String.class).orElse("25"));
        properties.put("mail.smtp.connectiontimeout", "10000");
        properties.put("mail.smtp.timeout", "20000");
        properties.put("mail.smtp.writetimeout", "20000");
        properties.put("mail.smtp.starttls.enable", config.getOptionalValue("privacy.mail.starttls", String.class).orElse("false"));
        Optional<String> user = config.getOptionalValue("privacy.mail.username", String.class);
        String password = user.isPresent() ? config.getOptionalValue("privacy.mail.password", String.class).orElse("") : null;
        if (user.isPresent()) {
            properties.put("mail.smtp.auth", "true");
        }
        Settings wanted = new Settings(properties, user.orElse(null), password);
        SessionOf made = current;
        if (made == null || !made.settings().equals(wanted)) {
            nameTheStreamProvider();
            made = new SessionOf(wanted, wanted.session());
            current = made;
        }
        return made.session();
    }

    /** Mail settings, compared as a whole: any change makes a new session. */
    private record Settings(Map<String, String> properties, String user, String password) {

        Session session() {
            Properties forSession = new Properties();
            forSession.putAll(properties);
            Authenticator authenticator = user == null ? null : new Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    return new PasswordAuthentication(user, password);
                }
            };
            return Session.getInstance(forSession, authenticator);
        }

        /** Without the password: a record's own text would show it. */
        @Override
        public String toString() {
            return "mail settings " + properties + (user == null ? "" : ", as " + user);
        }
    }

    /** The system property by which Jakarta Mail finds its stream provider without a service lookup; and the provider Payara ships. */
    static final String STREAM_PROVIDER = "jakarta.mail.util.StreamProvider";
    static final String ANGUS_STREAM_PROVIDER = "org.eclipse.angus.mail.util.MailStreamProvider";

    /**
     * Jakarta Mail looks its stream provider up for every message it writes, by a {@link java.util.ServiceLoader} unless
     * the system property names the class: in the server that lookup reads every jar of the application and of Payara,
     * a twentieth of the server's CPU in a burst of erasures (two notices each). The property is set only where Angus
     * Mail's provider is there to be named, and never over a value the operator set.
     */
    static void nameTheStreamProvider() {
        if (System.getProperty(STREAM_PROVIDER) != null) {
            return;
        }
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try {
            Class.forName(ANGUS_STREAM_PROVIDER, false, loader == null ? SmtpMailSender.class.getClassLoader() : loader);
            System.setProperty(STREAM_PROVIDER, ANGUS_STREAM_PROVIDER);
        } catch (ClassNotFoundException e) {
            // another mail implementation: it keeps the service lookup
        }
    }

    /** A session and the settings it was made from. */
    private record SessionOf(Settings settings, Session session) {
    }

    /** The MIME message: plain text alone, or text and an HTML alternative whose images are inline parts of it. */
    static MimeMessage compose(Session session, OutgoingMail mail, String configuredFrom) throws MessagingException {
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress(mail.sender().orElse(configuredFrom)));
        message.setRecipients(Message.RecipientType.TO, InternetAddress.parse(mail.to(), true));
        message.setSubject(mail.subject(), "UTF-8");
        message.setSentDate(Date.from(Instant.now()));
        if (mail.html() == null) {
            message.setText(mail.text(), "UTF-8");
            return message;
        }
        MimeBodyPart text = new MimeBodyPart();
        text.setText(mail.text(), "UTF-8");
        MimeBodyPart html = new MimeBodyPart();
        html.setText(mail.html(), "UTF-8", "html");
        MimeMultipart related = new MimeMultipart("related");
        related.addBodyPart(html);
        for (InlineImage image : mail.images()) {
            MimeBodyPart part = new MimeBodyPart();
            part.setDataHandler(new DataHandler(new ByteArrayDataSource(image.bytes(), image.mediaType())));
            part.setContentID("<" + image.contentId() + ">");
            part.setDisposition(Part.INLINE);
            part.setFileName(image.contentId() + (image.mediaType().equals("image/png") ? ".png" : ""));
            related.addBodyPart(part);
        }
        MimeBodyPart relatedPart = new MimeBodyPart();
        relatedPart.setContent(related);
        MimeMultipart alternative = new MimeMultipart("alternative");
        alternative.addBodyPart(text);
        alternative.addBodyPart(relatedPart);
        message.setContent(alternative);
        message.saveChanges();
        return message;
    }

    private Optional<String> host() {
        return config.getOptionalValue("privacy.mail.smtp-host", String.class).map(String::strip).filter(s -> !s.isEmpty());
    }
}
