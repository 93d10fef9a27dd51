package io.guestbridge.crmsync.internal.inbound;

import io.guestbridge.crmemulator.CrmEmulator;
import io.guestbridge.crmemulator.MailchimpEmulator;
import io.guestbridge.crmsync.internal.connectors.ClientTestSupport;
import io.guestbridge.crmsync.internal.connectors.WebhookCatcher;
import io.guestbridge.platform.api.ProblemException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Mailchimp's unsubscribe and cleaned webhooks, as the emulator sends them in Mailchimp's published format, read as opt-outs. */
@Timeout(15)
class MailchimpWebhookTest {

    private static final String LIST = "guests";

    private static CrmEmulator emulator;
    private static WebhookCatcher catcher;

    @BeforeAll
    static void start() throws IOException {
        emulator = CrmEmulator.start();
        catcher = new WebhookCatcher();
    }

    @AfterAll
    static void stop() {
        emulator.close();
        catcher.close();
    }

    @BeforeEach
    void fresh() {
        emulator.reset();
        emulator.mailchimp().list(LIST);
        emulator.mailchimp().webhook(LIST, catcher.url("/mc"));
    }

    private static void subscribe(String email) throws Exception {
        String auth = Base64.getEncoder().encodeToString(("guestbridge:" + MailchimpEmulator.DEFAULT_API_KEY).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> put = ClientTestSupport.http().send(HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/3.0/lists/" + LIST
                        + "/members/" + MailchimpEmulator.subscriberHash(email))).header("Authorization", "Basic " + auth)
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(5))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"email_address\":\"" + email + "\",\"status_if_new\":\"subscribed\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, put.statusCode(), put.body());
    }

    private static byte[] lastBody() {
        var deliveries = catcher.deliveries();
        return deliveries.get(deliveries.size() - 1).body();
    }

    @Test
    void anUnsubscribeIsAnOptOutWithItsReasonAndCampaignAndNoAddressInTheEvidence() throws Exception {
        subscribe("Web.Subscriber@Example.com");
        Instant before = Instant.now().minusSeconds(1);
        assertEquals(200, emulator.mailchimp().unsubscribe(LIST, "web.subscriber@example.com", "manual"));
        assertEquals("unsubscribed", emulator.mailchimp().member(LIST, "web.subscriber@example.com").orElseThrow().get("status"));

        OptOut optOut = MailchimpWebhook.optOut(lastBody()).orElseThrow();

        assertEquals("unsubscribe", optOut.kind());
        assertEquals("web.subscriber@example.com", optOut.email().value());
        assertFalse(optOut.at().isBefore(before.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)), "fired_at is read as UTC: " + optOut.at());
        assertFalse(optOut.at().isAfter(Instant.now()), "fired_at is read as UTC: " + optOut.at());
        assertEquals("manual", optOut.evidence().get("reason"));
        assertEquals(LIST, optOut.evidence().get("listId"));
        assertTrue(optOut.evidence().containsKey("campaignId"));
        assertTrue(optOut.evidence().values().stream().noneMatch(v -> v.contains("@")), "no address in the evidence: " + optOut.evidence());
        assertEquals(optOut.eventKey(), MailchimpWebhook.optOut(lastBody()).orElseThrow().eventKey(), "a redelivery has the same key");
    }

    @Test
    void aCleanedAddressIsAnOptOutAndOtherEventTypesAreNone() throws Exception {
        subscribe("bounced@example.com");
        emulator.mailchimp().clean(LIST, "bounced@example.com");
        OptOut cleaned = MailchimpWebhook.optOut(lastBody()).orElseThrow();
        assertEquals("cleaned", cleaned.kind());
        assertEquals("hard", cleaned.evidence().get("reason"));

        subscribe("other@example.com");
        emulator.mailchimp().unsubscribe(LIST, "other@example.com", "abuse");
        assertNotEquals(cleaned.eventKey(), MailchimpWebhook.optOut(lastBody()).orElseThrow().eventKey(), "another member, another event");

        byte[] subscribe = "type=subscribe&fired_at=2026-11-25+08%3A00%3A00&data%5Bemail%5D=a%40example.com&data%5Blist_id%5D=guests"
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(Optional.empty(), MailchimpWebhook.optOut(subscribe));
    }

    @Test
    void anUnreadableEventIsRefusedWithAReason() {
        ProblemException noTime = assertThrows(ProblemException.class, () -> MailchimpWebhook.optOut(
                "type=unsubscribe&fired_at=yesterday&data%5Bemail%5D=a%40example.com".getBytes(StandardCharsets.UTF_8)));
        assertTrue(noTime.getMessage().contains("fired_at"), noTime.getMessage());
        assertThrows(ProblemException.class, () -> MailchimpWebhook.optOut("type=cleaned&fired_at=2026-11-25+08%3A00%3A00".getBytes(StandardCharsets.UTF_8)));
    }
}
