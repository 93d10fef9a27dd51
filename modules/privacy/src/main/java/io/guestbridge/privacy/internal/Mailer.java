package io.guestbridge.privacy.internal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.faulttolerance.Bulkhead;
import org.eclipse.microprofile.faulttolerance.Timeout;

import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.Properties;

/**
 * Sends the privacy module's mail over SMTP (Jakarta Mail): one-time codes and notices to subjects,
 * escalations to the DPO. Configured by {@code privacy.mail.smtp-host}, {@code smtp-port}, {@code from},
 * {@code username}, {@code password} (a secret file), {@code starttls}; without a host, mail is off and the
 * request history says so. Callers run on the work queue, so a failed send is retried there.
 */
@ApplicationScoped
public class Mailer {

    @Inject
    Config config;

    boolean enabled() {
        return host().isPresent();
    }

    Optional<String> dpo() {
        return config.getOptionalValue("privacy.dpo.email", String.class).map(String::strip).filter(s -> !s.isEmpty());
    }

    @Timeout(60_000)
    @Bulkhead(5)
    void send(String to, String subject, String body) throws MessagingException {
        String host = host().orElseThrow(() -> new IllegalStateException("privacy.mail.smtp-host is not configured"));
        Properties properties = new Properties();
        properties.put("mail.transport.protocol", "smtp");
        properties.put("mail.smtp.host", host);
        properties.put("mail.smtp.port", config.getOptionalValue("privacy.mail.smtp-port", String.class).orElse("25"));
        properties.put("mail.smtp.connectiontimeout", "10000");
        properties.put("mail.smtp.timeout", "20000");
        properties.put("mail.smtp.writetimeout", "20000");
        properties.put("mail.smtp.starttls.enable", config.getOptionalValue("privacy.mail.starttls", String.class).orElse("false"));
        Optional<String> user = config.getOptionalValue("privacy.mail.username", String.class);
        Authenticator authenticator = null;
        if (user.isPresent()) {
            properties.put("mail.smtp.auth", "true");
            String password = config.getOptionalValue("privacy.mail.password", String.class).orElse("");
            authenticator = new Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    return new PasswordAuthentication(user.get(), password);
                }
            };
        }
        Session session = Session.getInstance(properties, authenticator);
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress(config.getOptionalValue("privacy.mail.from", String.class).orElse("privacy@guestbridge.invalid")));
        message.setRecipients(Message.RecipientType.TO, InternetAddress.parse(to, true));
        message.setSubject(subject, "UTF-8");
        message.setText(body, "UTF-8");
        message.setSentDate(Date.from(Instant.now()));
        Transport.send(message);
    }

    private Optional<String> host() {
        return config.getOptionalValue("privacy.mail.smtp-host", String.class).map(String::strip).filter(s -> !s.isEmpty());
    }
}
