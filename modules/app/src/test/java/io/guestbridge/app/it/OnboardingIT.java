package io.guestbridge.app.it;

import io.guestbridge.crmemulator.RecordedRequest;
import io.guestbridge.crmemulator.MerakiEmulator;
import io.guestbridge.crmemulator.SmsGatewayEmulator;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * WiFi onboarding in the server, with a real FreeRADIUS (Debian's freeradius 3.2 with rlm_rest, our configuration in
 * deploy/freeradius) on loopback ports, started once for the class, asked with Debian's radclient: a booking becomes a
 * RADIUS account that is accepted inside its window only, follows the stay's changes, and is refused after
 * cancellation, early check-out, the window's end and erasure. The guest reads the credential in the mail that
 * delivers it (GreenMail), QR code included; the test-only probe opens a credential no mail has carried yet.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class OnboardingIT {

    private static final Logger LOG = Logger.getLogger(OnboardingIT.class.getName());
    private static final ZoneId LONDON = ZoneId.of("Europe/London");
    private static final String NAS_SECRET = "it-nas-" + UUID.randomUUID();

    private static Process radius;
    private static int radiusPort;
    private static Hotel hotel;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployed.sharedWar();
    }

    @ArquillianResource
    URL url;

    /** The venue with its network, fed by one booking source. */
    private record Hotel(String venueId, String sourceId, String bookingPath, String signingSecret) {
    }

    private record Credential(String id, String guest, String username, Instant validFrom, Instant validUntil, String state, String reason) {
    }

    private record RadiusAnswer(boolean accepted, Optional<Long> sessionTimeout, String output) {
    }

    @AfterAll
    static void stopRadius() throws InterruptedException {
        if (radius != null) {
            radius.destroy();
            if (!radius.waitFor(10, TimeUnit.SECONDS)) {
                radius.destroyForcibly();
            }
            radius = null;
        }
    }

    @Test
    void aBookedGuestIsAcceptedInsideTheStayFollowsItsChangesAndIsRefusedAfterCancellation() throws Exception {
        Deployed app = new Deployed(url);
        Hotel hotel = hotel(app);
        startRadius(app);
        String email = "onb-" + UUID.randomUUID() + "@example.com";
        Instant arrival = Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
        Instant departure = Instant.now().plus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS);
        // a PMS that sends UTC
        book(app, hotel, "reservation.confirmed", "R-" + email, email, arrival.toString(), departure.toString());
        Credential issued = awaitCredential(app, email, c -> c.state().equals("ACTIVE"));
        assertEquals(arrival.atZone(LONDON).toLocalDate().atStartOfDay(LONDON).toInstant(), issued.validFrom(), "00:00 of the arrival day in London");
        assertEquals(departure.plus(Duration.ofHours(1)), issued.validUntil(), "an hour after check-out");
        assertTrue(issued.username().matches("wifi-[a-z2-9]{10}"), issued.username());

        // delivered at once (the window is open already): the mail tells the window in London's time and carries the join code
        DeliveredMail mailed = awaitMail(email, 1);
        String passphrase = mailed.passphrase();
        assertTrue(passphrase.matches("[a-hjkmnp-z2-9]{14}"), "typeable, no look-alikes");
        assertEquals(passphrase(app, issued.id()), passphrase, "the mail holds the credential's passphrase");
        assertTrue(ItEnvironment.crm().sms().sent().stream().noneMatch(m -> issued.id().equals(m.reference())), "no phone, no text: the mail only");
        assertTrue(mailed.text().contains("User name: " + issued.username()), mailed.text().replace(passphrase, "<passphrase>"));
        assertTrue(mailed.text().contains("It works from " + LOCAL.format(issued.validFrom()) + " to " + LOCAL.format(issued.validUntil())
                + " (Europe/London time)."), mailed.text().replace(passphrase, "<passphrase>"));
        assertEquals("WIFI:T:WPA2-EAP;S:Onboarding Hotel Guests;E:TTLS;PH2:PAP;I:" + issued.username() + ";P:" + passphrase + ";;", mailed.joinCode(),
                "the QR code joins the network");
        RadiusAnswer accepted = radius(issued.username(), passphrase);
        assertTrue(accepted.accepted(), accepted.output());
        long left = accepted.sessionTimeout().orElseThrow(() -> new AssertionError("no Session-Timeout: " + accepted.output()));
        long expected = Duration.between(Instant.now(), issued.validUntil()).getSeconds();
        assertTrue(Math.abs(expected - left) < 60, "Session-Timeout " + left + " is the time left in the window (" + expected + ")");
        assertFalse(radius(issued.username(), passphrase + "x").accepted(), "a wrong passphrase");
        assertFalse(radius("wifi-unknown0000", passphrase).accepted(), "an unknown user");

        // the stay is extended: the same credential, its window moved
        Instant later = departure.plus(Duration.ofDays(1));
        book(app, hotel, "reservation.modified", "R-" + email, email, arrival.toString(), later.toString());
        Credential moved = awaitCredential(app, email, c -> c.validUntil().equals(later.plus(Duration.ofHours(1))));
        assertEquals(issued.id(), moved.id(), "dates move, the credential stays");
        RadiusAnswer longer = radius(moved.username(), passphrase);
        assertTrue(longer.accepted(), longer.output());
        assertTrue(longer.sessionTimeout().orElseThrow() > left + 86000, "Session-Timeout follows the new departure");
        DeliveredMail again = awaitMail(email, 2);
        assertTrue(again.text().contains(" to " + LOCAL.format(moved.validUntil()) + " (Europe/London time)."), "the guest is told the new dates");
        assertEquals(passphrase, again.passphrase(), "the same passphrase");

        book(app, hotel, "reservation.cancelled", "R-" + email, email, arrival.toString(), later.toString());
        Credential revoked = awaitCredential(app, email, c -> c.state().equals("REVOKED"));
        assertEquals("CANCELLED", revoked.reason());
        assertFalse(radius(revoked.username(), passphrase).accepted(), "refused at once after cancellation");

        // the audit trail lists a record once the sequencer has numbered it, a moment after its transaction
        List<String> wanted = List.of("WIFI_CREDENTIAL_ISSUED", "WIFI_CREDENTIAL_DELIVERED", "WIFI_CREDENTIAL_WINDOW_MOVED", "WIFI_CREDENTIAL_REVOKED");
        List<String> actions = auditActions(app, issued.guest());
        for (Instant until = Instant.now().plusSeconds(10); !actions.containsAll(wanted) && Instant.now().isBefore(until); ) {
            Thread.sleep(200);
            actions = auditActions(app, issued.guest());
        }
        assertTrue(actions.containsAll(wanted), actions.toString());
        assertEquals(2, actions.stream().filter("WIFI_CREDENTIAL_DELIVERED"::equals).count(), "delivered twice: the first dates, then the moved ones");
        String trail = app.get("/api/v1/audit/records?subject=guest:" + issued.guest(), Deployed.token("compliance-officer")).body();
        assertFalse(trail.contains(passphrase), "no passphrase in the audit trail");
        assertFalse(serverLog().contains(passphrase), "no passphrase in the server log");
        assertFalse(radiusLog().contains(passphrase), "no passphrase in FreeRADIUS's log");
    }

    @Test
    void aFutureStayFromALocalTimePmsAcrossTheAutumnChangeIsRefusedBeforeItsWindow() throws Exception {
        Deployed app = new Deployed(url);
        Hotel hotel = hotel(app);
        startRadius(app);
        String email = "onb-" + UUID.randomUUID() + "@example.com";
        // a PMS that sends local times: London's clocks go back at 02:00 on 31 October 2027
        book(app, hotel, "reservation.confirmed", "R-" + email, email, "2027-10-30T15:00", "2027-11-01T11:00");
        Credential issued = awaitCredential(app, email, c -> c.state().equals("ACTIVE"));
        assertEquals(Instant.parse("2027-10-29T23:00:00Z"), issued.validFrom(), "00:00 British Summer Time on the arrival day");
        assertEquals(Instant.parse("2027-11-01T12:00:00Z"), issued.validUntil(), "12:00 GMT on the departure day");
        RadiusAnswer early = radius(issued.username(), passphrase(app, issued.id()));
        assertFalse(early.accepted(), "refused before the window: " + early.output());
        // due 24 hours before its window opens, in 2027: several delivery runs (one a second here) pass it by
        Thread.sleep(3000);
        assertEquals(0, ItEnvironment.mail().getReceivedMessagesForDomain(email).length, "a credential due later is not sent yet");
        assertFalse(auditActions(app, issued.guest()).contains("WIFI_CREDENTIAL_DELIVERED"));
    }

    @Test
    void accessEndsWithTheWindowAtAnEarlyCheckOutAndAtErasure() throws Exception {
        Deployed app = new Deployed(url);
        Hotel hotel = hotel(app);
        startRadius(app);
        Instant arrival = Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);

        // a window that ends in a few seconds: an hour of grace after a departure an hour ago less 8 seconds
        String ending = "onb-" + UUID.randomUUID() + "@example.com";
        Instant departure = Instant.now().minus(Duration.ofHours(1)).plusSeconds(8).truncatedTo(ChronoUnit.SECONDS);
        book(app, hotel, "reservation.confirmed", "R-" + ending, ending, arrival.toString(), departure.toString());
        Credential closing = awaitCredential(app, ending, c -> c.state().equals("ACTIVE"));
        String closingPassphrase = passphrase(app, closing.id());
        RadiusAnswer lastSeconds = radius(closing.username(), closingPassphrase);
        if (lastSeconds.accepted()) { // the window may already have closed on a slow machine; then only the refusal is checked
            assertTrue(lastSeconds.sessionTimeout().orElseThrow() <= 8, "Session-Timeout is what is left: " + lastSeconds.output());
        }
        sleepUntil(closing.validUntil().plusMillis(500));
        assertFalse(radius(closing.username(), closingPassphrase).accepted(), "refused after the window");

        // checked out a day early
        String leaving = "onb-" + UUID.randomUUID() + "@example.com";
        Instant plannedDeparture = Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
        book(app, hotel, "reservation.confirmed", "R-" + leaving, leaving, arrival.toString(), plannedDeparture.toString());
        Credential staying = awaitCredential(app, leaving, c -> c.state().equals("ACTIVE"));
        String stayingPassphrase = awaitMail(leaving, 1).passphrase();
        assertTrue(radius(staying.username(), stayingPassphrase).accepted());
        book(app, hotel, "guest.checked_out", "R-" + leaving, leaving, arrival.toString(), plannedDeparture.toString());
        assertEquals("CHECKED_OUT", awaitCredential(app, leaving, c -> c.state().equals("REVOKED")).reason());
        assertFalse(radius(staying.username(), stayingPassphrase).accepted(), "refused at once after an early check-out");

        // erased
        String erased = "onb-" + UUID.randomUUID() + "@example.com";
        book(app, hotel, "reservation.confirmed", "R-" + erased, erased, arrival.toString(), plannedDeparture.toString());
        Credential held = awaitCredential(app, erased, c -> c.state().equals("ACTIVE"));
        String heldPassphrase = awaitMail(erased, 1).passphrase();
        assertTrue(radius(held.username(), heldPassphrase).accepted());
        HttpResponse<String> request = app.post("/api/v1/privacy/requests", Deployed.token("dpo"), "application/json",
                "{\"type\":\"ERASURE\",\"email\":\"" + erased + "\",\"verifiedBy\":\"reception: passport checked\"}");
        assertEquals(201, request.statusCode(), request.body());
        Instant deadline = Instant.now().plusSeconds(45);
        while (credentialRows(held.guest()) > 0 && Instant.now().isBefore(deadline)) {
            Thread.sleep(250);
        }
        assertEquals(0, credentialRows(held.guest()), "the erasure deleted the guest's credentials");
        assertFalse(radius(held.username(), heldPassphrase).accepted(), "refused after erasure");
    }

    @Test
    void textsGoOutWithinTheGatewaysRateHonouringRetryAfterNoneTwiceNoneDropped() throws Exception {
        Deployed app = new Deployed(url);
        Hotel hotel = hotel(app);
        SmsGatewayEmulator gateway = ItEnvironment.crm().sms();
        // our budget is 10 a second (600 a minute); the gateway allows 8 in any second: it answers 429 with Retry-After now and then
        gateway.reset(); // a fresh log: every request and 429 below is this test's
        // closed while the bookings come in (every request a 429 with Retry-After 2 s), so the texts pile up as a
        // burst of confirmations would; then 8 in any second against our budget of 10 a second
        gateway.rateLimit(0, Duration.ofSeconds(2));
        try {
            int guests = 50;
            String run = UUID.randomUUID().toString().substring(0, 8);
            List<String> emails = new ArrayList<>();
            Instant departure = Instant.now().plus(Duration.ofDays(3)).truncatedTo(ChronoUnit.SECONDS);
            for (int i = 0; i < guests; i++) {
                emails.add("onb-sms-" + run + "-" + i + "@example.com");
            }
            // guest i arrives i days after guest 0; the confirmations come in a shuffled order, as a PMS's do
            List<Integer> bookingOrder = new ArrayList<>(java.util.stream.IntStream.range(0, guests).boxed().toList());
            long seed = System.nanoTime();
            java.util.Collections.shuffle(bookingOrder, new java.util.Random(seed));
            LOG.info("SMS: confirmations shuffled with seed " + seed);
            for (int i : bookingOrder) {
                String email = emails.get(i);
                // national numbers, read in the venue's country (the United Kingdom, from its time zone)
                book(app, hotel, "reservation.confirmed", "R-" + email, email, String.format("07911 1%05d", i),
                        Instant.now().minus(Duration.ofDays(guests - i)).truncatedTo(ChronoUnit.SECONDS).toString(), departure.toString());
            }
            // and one whose number is no number anywhere: refused with the reason, the mail still goes
            String unusable = "onb-sms-" + run + "-unusable@example.com";
            book(app, hotel, "reservation.confirmed", "R-" + unusable, unusable, "12345", Instant.now().minus(Duration.ofDays(1)).toString(),
                    departure.toString());

            Set<String> credentials = new HashSet<>();
            List<String> byBooking = new ArrayList<>();
            for (int i : bookingOrder) {
                String credential = awaitCredential(app, emails.get(i), c -> c.state().equals("ACTIVE")).id();
                credentials.add(credential);
                byBooking.add(credential);
            }
            assertEquals(List.of(), gateway.sent(), "nothing gets through a closed gateway");
            gateway.rateLimit(8, Duration.ofSeconds(1));
            Instant opened = Instant.now();
            Instant deadline = Instant.now().plusSeconds(60);
            List<SmsGatewayEmulator.Sent> ours = List.of();
            while (Instant.now().isBefore(deadline)) {
                ours = gateway.sent().stream().filter(m -> credentials.contains(m.reference())).toList();
                if (ours.size() >= guests) {
                    break;
                }
                Thread.sleep(250);
            }
            Thread.sleep(1500); // a late duplicate would arrive now
            ours = gateway.sent().stream().filter(m -> credentials.contains(m.reference())).toList();
            assertEquals(guests, ours.size(), "every credential texted once");
            assertEquals(guests, ours.stream().map(SmsGatewayEmulator.Sent::reference).distinct().count(), "none twice");
            for (int i = 0; i < guests; i++) {
                String number = String.format("+4479111%05d", i);
                assertEquals(1, ours.stream().filter(m -> m.to().equals(number)).count(), "the national number read as " + number);
            }
            assertTrue(ours.stream().allMatch(m -> m.text().startsWith("Onboarding Hotel WiFi: network Onboarding Hotel Guests, user wifi-")),
                    "the text names the network and the user");
            assertEquals(guests, textedRows(credentials), "every delivery recorded");
            LOG.info("SMS: " + guests + " texts in " + Duration.between(opened, ours.get(ours.size() - 1).at()).toMillis() + " ms after the gateway opened");

            // the order promised: the order the delivery runs queued the credentials in, and within one run by the start
            // of the window (the arrival day), then by credential id; waiting for the budget or a Retry-After reorders nothing
            List<String> queuedOrder = queuedOrder(credentials);
            assertEquals(queuedOrder, ours.stream().map(SmsGatewayEmulator.Sent::reference).toList(),
                    "texts in the order of (delivery run, arrival day, credential)");
            long runs = deliveryRuns(credentials);
            LOG.info("SMS: " + guests + " credentials queued by " + runs + " delivery run(s)");
            assertTrue(runs < guests, "some delivery run queued several credentials at once");
            assertFalse(byBooking.equals(queuedOrder), "a run sorts what it queues by arrival, not by when the confirmation came");

            // Retry-After honoured: after each 429 nothing more was sent before the time it named
            List<io.guestbridge.crmemulator.ServiceEmulator.Refusal> refusals = gateway.refusals();
            List<Instant> arrivals = gateway.requests().stream().map(RecordedRequest::receivedAt).toList();
            for (io.guestbridge.crmemulator.ServiceEmulator.Refusal refusal : refusals) {
                Instant until = refusal.at().plus(refusal.retryAfter()).minusMillis(50);
                assertTrue(arrivals.stream().noneMatch(at -> at.isAfter(refusal.at()) && at.isBefore(until)),
                        "a request came before the Retry-After of the 429 at " + refusal.at() + " had passed");
            }
            assertFalse(refusals.isEmpty(), "the closed gateway answered 429");
            assertEquals(guests + refusals.size(), arrivals.size(), "each text accepted once, after as many 429s as the log shows");
            LOG.info("SMS: " + guests + " texts, " + refusals.size() + " answered 429 on the way");

            // a guest without a phone gets the mail only; a number that is none is refused with the reason
            String unusableGuest = guestOf(app, unusable).orElseThrow();
            awaitMail(unusable, 1);
            Instant withheldBy = Instant.now().plusSeconds(20);
            while (!auditActions(app, unusableGuest).contains("WIFI_CREDENTIAL_DELIVERY_WITHHELD") && Instant.now().isBefore(withheldBy)) {
                Thread.sleep(250);
            }
            String trail = app.get("/api/v1/audit/records?subject=guest:" + unusableGuest, Deployed.token("compliance-officer")).body();
            assertTrue(trail.contains("WIFI_CREDENTIAL_DELIVERY_WITHHELD") && trail.contains("not a valid number in GB"), trail);

            HttpResponse<String> backlog = app.get("/api/v1/onboarding/deliveries/backlog", Deployed.token("operator"));
            assertEquals(200, backlog.statusCode(), backlog.body());
            JsonObject smsBacklog = Deployed.parse(backlog.body()).asJsonArray().stream().map(JsonValue::asJsonObject)
                    .filter(c -> c.getString("channel").equals("sms")).findFirst().orElseThrow();
            assertEquals(600, smsBacklog.getInt("messagesPerMinute"));
            assertEquals((smsBacklog.getJsonNumber("pending").longValue() * 60 + 599) / 600, smsBacklog.getJsonNumber("expectedDrainSeconds").longValue(),
                    "the pending texts at 10 a second, rounded up: " + backlog.body());
            String metrics = app.get("/metrics", null).body();
            assertTrue(metrics.contains("guestbridge_wifi_delivery_drain_seconds"), "the drain time is in /metrics");
        } finally {
            gateway.rateLimit(Integer.MAX_VALUE, Duration.ofSeconds(1));
        }
    }

    /** The credentials in the order the delivery runs queued them: run by run, each run by window start, then id. */
    private static List<String> queuedOrder(Set<String> credentials) throws SQLException {
        try (Connection c = Deployed.database(); PreparedStatement s = c.prepareStatement("SELECT id FROM onb_credential WHERE id IN ("
                + String.join(",", java.util.Collections.nCopies(credentials.size(), "?")) + ") ORDER BY delivery_queued_at, valid_from, id")) {
            int i = 1;
            for (String id : credentials) {
                s.setString(i++, id);
            }
            List<String> ordered = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ordered.add(rs.getString(1));
                }
            }
            return ordered;
        }
    }

    private static long deliveryRuns(Set<String> credentials) throws SQLException {
        try (Connection c = Deployed.database(); PreparedStatement s = c.prepareStatement("SELECT COUNT(DISTINCT delivery_queued_at) FROM onb_credential "
                + "WHERE id IN (" + String.join(",", java.util.Collections.nCopies(credentials.size(), "?")) + ")")) {
            int i = 1;
            for (String id : credentials) {
                s.setString(i++, id);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static int textedRows(Set<String> credentials) throws SQLException {
        try (Connection c = Deployed.database(); PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM onb_credential WHERE id IN ("
                + String.join(",", java.util.Collections.nCopies(credentials.size(), "?")) + ") AND sms_delivered_at IS NOT NULL")) {
            int i = 1;
            for (String id : credentials) {
                s.setString(i++, id);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    @Test
    void staffListRevokeAndReissueCredentialsAuditedAsThemselves() throws Exception {
        Deployed app = new Deployed(url);
        Hotel hotel = hotel(app);
        startRadius(app);
        String operator = Deployed.token("operator");
        String email = "onb-staff-" + UUID.randomUUID() + "@example.com";
        String arrival = Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS).toString();
        String departure = Instant.now().plus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS).toString();
        book(app, hotel, "reservation.confirmed", "R-" + email, email, arrival, departure);
        Credential issued = awaitCredential(app, email, c -> c.state().equals("ACTIVE"));
        String first = awaitMail(email, 1).passphrase();

        HttpResponse<String> listed = app.get("/api/v1/onboarding/credentials?venue=" + hotel.venueId() + "&state=active", operator);
        assertEquals(200, listed.statusCode(), listed.body());
        JsonObject row = Deployed.parse(listed.body()).asJsonArray().stream().map(JsonValue::asJsonObject)
                .filter(c -> c.getString("id").equals(issued.id())).findFirst().orElseThrow(() -> new AssertionError(listed.body()));
        assertEquals(issued.guest(), row.getString("guest"));
        assertFalse(listed.body().contains(first) || listed.body().contains("passphrase"), "no passphrase in the list");
        assertEquals(400, app.get("/api/v1/onboarding/credentials?venue=" + hotel.venueId() + "&state=LOST", operator).statusCode());
        assertEquals(404, app.get("/api/v1/onboarding/credentials?venue=" + UUID.randomUUID(), operator).statusCode());
        assertEquals(403, app.get("/api/v1/onboarding/credentials?venue=" + hotel.venueId(), Deployed.token("integration")).statusCode());

        // reissued: a new passphrase, mailed again; the old one stops at once
        HttpResponse<String> reissued = app.post("/api/v1/onboarding/credentials/" + issued.id() + "/reissue", operator, null, null);
        assertEquals(200, reissued.statusCode(), reissued.body());
        String second = awaitMail(email, 2).passphrase();
        assertFalse(second.equals(first), "a new passphrase");
        assertFalse(radius(issued.username(), first).accepted(), "the old passphrase is refused");
        RadiusAnswer renewed = radius(issued.username(), second);
        assertTrue(renewed.accepted(), renewed.output());

        // revoked by staff: refused at once, and the guest's next booking event for the stay does not bring it back
        HttpResponse<String> revoked = app.post("/api/v1/onboarding/credentials/" + issued.id() + "/revocation", operator, null, null);
        assertEquals(200, revoked.statusCode(), revoked.body());
        assertFalse(radius(issued.username(), second).accepted(), "refused after the revocation");
        HttpResponse<String> twice = app.post("/api/v1/onboarding/credentials/" + issued.id() + "/revocation", operator, null, null);
        assertEquals(409, twice.statusCode(), twice.body());
        assertTrue(twice.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        HttpResponse<String> unknown = app.post("/api/v1/onboarding/credentials/" + UUID.randomUUID() + "/reissue", operator, null, null);
        assertEquals(404, unknown.statusCode(), unknown.body());
        assertTrue(unknown.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        book(app, hotel, "reservation.modified", "R-" + email, email, arrival, Instant.parse(departure).plus(Duration.ofHours(2)).toString());
        Thread.sleep(3000);
        Credential after = latestCredential(issued.guest()).orElseThrow();
        assertEquals(issued.id(), after.id(), "no new credential for the stay staff ended");
        assertEquals("OPERATOR", after.reason());

        HttpResponse<String> records = null;
        List<JsonObject> staff = List.of();
        for (Instant until = Instant.now().plusSeconds(10); staff.size() < 2 && Instant.now().isBefore(until); Thread.sleep(200)) {
            records = app.get("/api/v1/audit/records?subject=guest:" + issued.guest(), Deployed.token("compliance-officer"));
            staff = Deployed.json(records).getJsonArray("records").stream().map(JsonValue::asJsonObject)
                    .filter(r -> r.getString("action").equals("WIFI_CREDENTIAL_REISSUED") || r.getString("action").equals("WIFI_CREDENTIAL_REVOKED"))
                    .toList();
        }
        assertEquals(2, staff.size(), records.body());
        assertTrue(staff.stream().allMatch(r -> r.getString("actor").equals("user:it-operator")), "audited with the person as actor: " + staff);
        assertFalse(records.body().contains(first) || records.body().contains(second), "no passphrase in the audit trail");
    }

    @Test
    void bookingsFromBeforeTheNetworkGetTheirCredentialsWhenItIsSavedAndTakeItsNewGrace() throws Exception {
        Deployed app = new Deployed(url);
        Hotel hotel = newVenueAndSource(app);
        String booked = "onb-early-" + UUID.randomUUID() + "@example.com";
        String longAgo = "onb-past-" + UUID.randomUUID() + "@example.com";
        Instant departure = Instant.now().plus(Duration.ofDays(3)).truncatedTo(ChronoUnit.SECONDS);
        book(app, hotel, "reservation.confirmed", "R-" + booked, booked, Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS).toString(),
                departure.toString());
        book(app, hotel, "reservation.confirmed", "R-" + longAgo, longAgo, Instant.now().minus(Duration.ofDays(12)).truncatedTo(ChronoUnit.SECONDS).toString(),
                Instant.now().minus(Duration.ofDays(10)).truncatedTo(ChronoUnit.SECONDS).toString());
        String guest = awaitGuest(app, booked);
        awaitGuest(app, longAgo);
        assertTrue(latestCredential(guest).isEmpty(), "no network yet: no credential");

        configureNetwork(app, hotel, "\"kind\":\"RADIUS\"");
        Credential issued = awaitCredential(app, booked, c -> c.state().equals("ACTIVE"));
        assertEquals(departure.plus(Duration.ofHours(1)), issued.validUntil(), "the stay's window, by the network's grace");
        assertEquals("1", awaitAudited(app, hotel, "WIFI_NETWORK_CONFIGURED", 1).get(0).getJsonObject("details").getString("guestsFollowed"),
                "the guest still to come is followed, the one whose stay ended 10 days ago is not");

        configureNetwork(app, hotel, "\"kind\":\"RADIUS\",\"graceAfterMinutes\":180");
        Credential moved = awaitCredential(app, booked, c -> c.validUntil().equals(departure.plus(Duration.ofHours(3))));
        assertEquals(issued.id(), moved.id(), "the same credential, its window moved by the new grace");
        assertEquals("ACTIVE", moved.state());
    }

    /** The guest an address resolved to, once the booking event that brought it has been processed. */
    private static String awaitGuest(Deployed app, String email) throws InterruptedException {
        for (Instant deadline = Instant.now().plusSeconds(30); Instant.now().isBefore(deadline); Thread.sleep(200)) {
            Optional<String> guest = guestOf(app, email);
            if (guest.isPresent()) {
                return guest.get();
            }
        }
        return fail("the booking of " + email + " made no guest within 30 s");
    }

    /** The venue's audit records of an action, once there are {@code count} of them. */
    private static List<JsonObject> awaitAudited(Deployed app, Hotel hotel, String action, int count) throws InterruptedException {
        List<JsonObject> found = List.of();
        String body = null;
        for (Instant deadline = Instant.now().plusSeconds(15); found.size() < count && Instant.now().isBefore(deadline); Thread.sleep(200)) {
            HttpResponse<String> records = app.get("/api/v1/audit/records?subject=venue:" + hotel.venueId(), Deployed.token("compliance-officer"));
            body = records.body();
            found = Deployed.json(records).getJsonArray("records").stream().map(JsonValue::asJsonObject)
                    .filter(r -> r.getString("action").equals(action)).toList();
        }
        assertEquals(count, found.size(), body);
        return found;
    }

    @Test
    void ppskDevicesAreAnsweredOverRadiusWithTheirVendorsPassphraseAttributesInsideTheWindowOnly() throws Exception {
        Deployed app = new Deployed(url);
        startRadius(app);
        Hotel ppsk = newHotel(app, "\"kind\":\"PPSK\",\"radiusVendor\":\"CISCO_MERAKI\"");
        String operator = Deployed.token("operator");
        HttpResponse<String> unknown = configure(app, ppsk, "\"kind\":\"PPSK\",\"radiusVendor\":\"MIKROTIK\"");
        assertEquals(400, unknown.statusCode(), unknown.body());
        assertTrue(unknown.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        assertTrue(unknown.body().contains("CISCO_MERAKI") && unknown.body().contains("ARUBA") && unknown.body().contains("RUCKUS"), unknown.body());
        assertEquals(400, configure(app, ppsk, "\"kind\":\"RADIUS\",\"radiusVendor\":\"ARUBA\"").statusCode(), "a RADIUS network has no PPSK to answer");
        Instant arrival = Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
        Instant departure = Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);

        // a stay whose window (an hour of grace after departure) ends in 20 seconds
        String ending = "onb-" + UUID.randomUUID() + "@example.com";
        book(app, ppsk, "reservation.confirmed", "R-" + ending, ending, arrival.toString(),
                Instant.now().minus(Duration.ofHours(1)).plusSeconds(20).truncatedTo(ChronoUnit.SECONDS).toString());
        Credential closing = awaitCredential(app, ending, c -> c.state().equals("ACTIVE"));
        String passphrase = passphrase(app, closing.id());
        String phone = randomMac();
        String laptop = randomMac();
        assertEquals(400, bind(app, closing.id(), "not-a-mac").statusCode());
        HttpResponse<String> bound = bind(app, closing.id(), phone.toUpperCase(java.util.Locale.ROOT).replace(':', '-'));
        assertEquals(200, bound.statusCode(), bound.body());
        HttpResponse<String> laptopBound = bind(app, closing.id(), laptop);
        assertEquals(200, laptopBound.statusCode(), laptopBound.body());
        assertTrue(laptopBound.body().contains("\"BOUND\""), laptopBound.body());
        assertFalse(radiusDevice(randomMac(), null).accepted(), "an unknown device");

        RadiusAnswer meraki = radiusDevice(phone, "Onboarding Hotel Guests");
        assertTrue(meraki.accepted(), meraki.output());
        assertTrue(meraki.output().contains("Cisco-AVPair = \"psk-mode=ascii\""), meraki.output());
        assertTrue(meraki.output().contains("Cisco-AVPair = \"psk=" + passphrase + "\""), meraki.output());
        assertFalse(meraki.output().contains("Aruba-MPSK-Passphrase"), meraki.output());
        long first = meraki.sessionTimeout().orElseThrow(() -> new AssertionError("no Session-Timeout: " + meraki.output()));
        assertTrue(first <= 20, "Session-Timeout is what is left of the window: " + first);
        assertFalse(radiusDevice(phone, "Another SSID").accepted(), "a controller asking for another SSID");
        // a tablet bound by mistake: once unbound it is refused at once, and unbinding it again finds nothing
        String tablet = randomMac();
        assertEquals(200, bind(app, closing.id(), tablet).statusCode());
        RadiusAnswer tabletAnswer = radiusDevice(tablet, "Onboarding Hotel Guests");
        assertTrue(tabletAnswer.accepted(), "the tablet joins while bound: " + tabletAnswer.output());
        HttpResponse<String> unbound = app.post("/api/v1/onboarding/credentials/" + closing.id() + "/devices/removal", Deployed.token("operator"),
                "application/json", "{\"mac\":\"" + tablet + "\"}");
        assertEquals(200, unbound.statusCode(), unbound.body());
        assertFalse(radiusDevice(tablet, "Onboarding Hotel Guests").accepted(), "an unbound device is refused");
        assertEquals(404, app.post("/api/v1/onboarding/credentials/" + closing.id() + "/devices/removal", Deployed.token("operator"),
                "application/json", "{\"mac\":\"" + tablet + "\"}").statusCode(), "not bound any more");

        // the same venue's access points are Aruba's now
        HttpResponse<String> aruba = configure(app, ppsk, "\"kind\":\"PPSK\",\"radiusVendor\":\"ARUBA\"");
        assertEquals(200, aruba.statusCode(), aruba.body());
        assertEquals("ARUBA", Deployed.json(aruba).getString("radiusVendor"));
        Thread.sleep(1100); // Session-Timeout counts whole seconds
        RadiusAnswer arubaAnswer = radiusDevice(laptop, null);
        assertTrue(arubaAnswer.accepted(), arubaAnswer.output());
        String hex = "0x" + java.util.HexFormat.of().formatHex(passphrase.getBytes(StandardCharsets.UTF_8));
        assertTrue(arubaAnswer.output().contains("Aruba-MPSK-Passphrase = " + hex), "decrypted by radclient with the shared secret: " + arubaAnswer.output());
        assertFalse(arubaAnswer.output().contains("Cisco-AVPair"), arubaAnswer.output());
        assertTrue(arubaAnswer.sessionTimeout().orElseThrow() < first, "Session-Timeout shrinks as the window's end nears: " + first + " then "
                + arubaAnswer.sessionTimeout().get());
        assertEquals(200, configure(app, ppsk, "\"kind\":\"PPSK\",\"radiusVendor\":\"CISCO_MERAKI\"").statusCode());

        // cancelled, erased, and not yet begun: each device refused
        String cancelled = "onb-" + UUID.randomUUID() + "@example.com";
        String erased = "onb-" + UUID.randomUUID() + "@example.com";
        String future = "onb-" + UUID.randomUUID() + "@example.com";
        book(app, ppsk, "reservation.confirmed", "R-" + cancelled, cancelled, arrival.toString(), departure.toString());
        book(app, ppsk, "reservation.confirmed", "R-" + erased, erased, arrival.toString(), departure.toString());
        book(app, ppsk, "reservation.confirmed", "R-" + future, future, "2027-10-30T15:00", "2027-11-01T11:00");
        String cancelledDevice = randomMac();
        String erasedDevice = randomMac();
        String futureDevice = randomMac();
        Credential toCancel = awaitCredential(app, cancelled, c -> c.state().equals("ACTIVE"));
        Credential toErase = awaitCredential(app, erased, c -> c.state().equals("ACTIVE"));
        Credential later = awaitCredential(app, future, c -> c.state().equals("ACTIVE"));
        assertEquals(200, bind(app, toCancel.id(), cancelledDevice).statusCode());
        assertEquals(200, bind(app, toErase.id(), erasedDevice).statusCode());
        assertEquals(200, bind(app, later.id(), futureDevice).statusCode());
        assertEquals(409, bind(app, toErase.id(), cancelledDevice).statusCode(), "a device joins with one passphrase per venue");
        assertTrue(radiusDevice(cancelledDevice, null).accepted());
        assertTrue(radiusDevice(erasedDevice, null).accepted());
        assertFalse(radiusDevice(futureDevice, null).accepted(), "refused before the window");
        book(app, ppsk, "reservation.cancelled", "R-" + cancelled, cancelled, arrival.toString(), departure.toString());
        awaitCredential(app, cancelled, c -> c.state().equals("REVOKED"));
        assertFalse(radiusDevice(cancelledDevice, null).accepted(), "refused after cancellation");
        HttpResponse<String> request = app.post("/api/v1/privacy/requests", Deployed.token("dpo"), "application/json",
                "{\"type\":\"ERASURE\",\"email\":\"" + erased + "\",\"verifiedBy\":\"reception: passport checked\"}");
        assertEquals(201, request.statusCode(), request.body());
        Instant deadline = Instant.now().plusSeconds(45);
        while (credentialRows(toErase.guest()) > 0 && Instant.now().isBefore(deadline)) {
            Thread.sleep(250);
        }
        assertEquals(0, credentialRows(toErase.guest()), "the erasure deleted the guest's credentials");
        assertFalse(radiusDevice(erasedDevice, null).accepted(), "refused after erasure");

        sleepUntil(closing.validUntil().plusMillis(500));
        assertFalse(radiusDevice(phone, null).accepted(), "refused after the window");
        assertEquals(409, bind(app, toCancel.id(), randomMac()).statusCode(), "no device joins a revoked credential");

        String trail = app.get("/api/v1/audit/records?subject=guest:" + closing.guest(), Deployed.token("compliance-officer")).body();
        assertTrue(trail.contains("WIFI_CREDENTIAL_DEVICE_BOUND"), trail);
        for (String secret : List.of(passphrase, phone, phone.replace(":", ""), phone.replace(':', '-').toUpperCase(java.util.Locale.ROOT))) {
            assertFalse(trail.contains(secret), "no passphrase or MAC in the audit trail");
            assertFalse(serverLog().contains(secret), "no passphrase or MAC in the server log");
            assertFalse(radiusLog().contains(secret), "no passphrase or MAC in FreeRADIUS's log");
        }
        assertEquals(200, app.get("/api/v1/onboarding/networks", operator).statusCode());
    }

    private static HttpResponse<String> configure(Deployed app, Hotel hotel, String members) {
        return app.send(app.request("/api/v1/onboarding/networks/" + hotel.venueId(), Deployed.token("operator"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(
                        "{\"bookingSourceId\":\"" + hotel.sourceId() + "\"," + members + ",\"ssid\":\"Onboarding Hotel Guests\"}")).build());
    }

    private static HttpResponse<String> bind(Deployed app, String credential, String mac) {
        return app.post("/api/v1/onboarding/credentials/" + credential + "/devices", Deployed.token("operator"), "application/json",
                "{\"mac\":\"" + mac + "\"}");
    }

    /** A locally administered (private) MAC, as phones use per network. */
    private static String randomMac() {
        byte[] bytes = new byte[6];
        new java.security.SecureRandom().nextBytes(bytes);
        bytes[0] = (byte) ((bytes[0] & 0xfc) | 0x02);
        return java.util.HexFormat.ofDelimiter(":").formatHex(bytes);
    }

    @Test
    void operatorsConfigureNetworksWithClearProblems() throws Exception {
        Deployed app = new Deployed(url);
        Hotel hotel = hotel(app);
        String operator = Deployed.token("operator");
        HttpResponse<String> unknown = app.send(app.request("/api/v1/onboarding/networks/" + UUID.randomUUID(), operator)
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(
                        "{\"bookingSourceId\":\"" + hotel.sourceId() + "\",\"kind\":\"RADIUS\",\"ssid\":\"Guests\"}")).build());
        assertEquals(404, unknown.statusCode(), unknown.body());
        assertTrue(unknown.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        HttpResponse<String> badGrace = app.send(app.request("/api/v1/onboarding/networks/" + hotel.venueId(), operator)
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(
                        "{\"bookingSourceId\":\"" + hotel.sourceId() + "\",\"kind\":\"RADIUS\",\"ssid\":\"Guests\",\"graceAfterMinutes\":20000}")).build());
        assertEquals(400, badGrace.statusCode(), badGrace.body());
        assertEquals(403, app.get("/api/v1/onboarding/networks", Deployed.token("integration")).statusCode());
        HttpResponse<String> listed = app.get("/api/v1/onboarding/networks", operator);
        assertEquals(200, listed.statusCode(), listed.body());
        assertTrue(listed.body().contains(hotel.venueId()), listed.body());
        HttpResponse<String> noSecret = app.send(app.request("/api/v1/onboarding/radius/authenticate", null)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"User-Name\":{\"value\":[\"wifi-x\"]},\"User-Password\":{\"value\":[\"y\"]}}")).build());
        HttpResponse<String> dead = app.get("/api/v1/onboarding/deliveries/dead-letters", operator);
        assertEquals(200, dead.statusCode(), dead.body());
        assertEquals(0, Deployed.parse(dead.body()).asJsonArray().size(), "every mail got through: " + dead.body());
        HttpResponse<String> deadTexts = app.get("/api/v1/onboarding/deliveries/dead-letters?channel=sms", operator);
        assertEquals(200, deadTexts.statusCode(), deadTexts.body());
        assertEquals(400, app.get("/api/v1/onboarding/deliveries/dead-letters?channel=fax", operator).statusCode());
        HttpResponse<String> noSuchDead = app.post("/api/v1/onboarding/deliveries/dead-letters/999999999/replay", operator, null, null);
        assertEquals(404, noSuchDead.statusCode(), noSuchDead.body());
        assertTrue(noSuchDead.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        assertEquals(404, noSecret.statusCode(), "nothing answers without FreeRADIUS's shared secret");
        assertTrue(noSecret.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
    }

    @Test
    void ppsksFollowTheStayOnTheMerakiDashboardThroughA429StormKeepingMerakisDocument() throws Exception {
        Deployed app = new Deployed(url);
        MerakiEmulator meraki = ItEnvironment.crm().meraki();
        meraki.reset(); // Meraki's 10 requests a second, a fresh log: every request below is this test's
        Hotel pushed = newHotel(app, "\"kind\":\"PPSK\",\"merakiNetworkId\":\"N_24329156\",\"merakiSsidNumber\":3,"
                + "\"merakiGroupPolicyId\":\"101\"");
        String run = UUID.randomUUID().toString().substring(0, 8);
        try {
            // confirmed: an identity PSK named by the user name, with the passphrase, expiring with the window
            String email = "onb-meraki-" + run + "@example.com";
            Instant arrival = Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
            Instant departure = Instant.now().plus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS);
            book(app, pushed, "reservation.confirmed", "R-" + email, email, arrival.toString(), departure.toString());
            Credential issued = awaitCredential(app, email, c -> c.state().equals("ACTIVE"));
            MerakiEmulator.IdentityPsk created = awaitPsk(meraki, issued.username(), psk -> true);
            assertEquals(departure.plus(Duration.ofHours(1)).toString(), created.expiresAt(), "expires an hour after check-out");
            assertEquals(passphrase(app, issued.id()), created.passphrase());
            assertEquals("101", created.groupPolicyId());
            assertEquals("N_24329156", created.networkId());
            assertEquals("3", created.ssidNumber());
            assertEquals(created.id(), merakiPskId(issued.id()), "the dashboard's id is kept with the credential");

            // modified: the same identity PSK, its expiry moved
            Instant later = departure.plus(Duration.ofDays(1));
            book(app, pushed, "reservation.modified", "R-" + email, email, arrival.toString(), later.toString());
            MerakiEmulator.IdentityPsk moved = awaitPsk(meraki, issued.username(), psk -> psk.expiresAt().equals(later.plus(Duration.ofHours(1)).toString()));
            assertEquals(created.id(), moved.id(), "updated, not created again");

            // cancelled: deleted on the dashboard, forgotten here
            book(app, pushed, "reservation.cancelled", "R-" + email, email, arrival.toString(), later.toString());
            Instant deletedBy = Instant.now().plusSeconds(20);
            while (!meraki.deletedIds().contains(created.id()) && Instant.now().isBefore(deletedBy)) {
                Thread.sleep(100);
            }
            assertEquals(List.of(created.id()), meraki.deletedIds());
            assertTrue(meraki.identityPsks().isEmpty());
            Instant forgottenBy = Instant.now().plusSeconds(5);
            while (merakiPskId(issued.id()) != null && Instant.now().isBefore(forgottenBy)) {
                Thread.sleep(100);
            }
            assertEquals(null, merakiPskId(issued.id()));
            String guest = guestOf(app, email).orElseThrow();
            // the audit trail lists a record once the sequencer has numbered it, a moment after its transaction
            List<String> pushes = List.of("WIFI_CREDENTIAL_PSK_CREATED", "WIFI_CREDENTIAL_PSK_UPDATED", "WIFI_CREDENTIAL_PSK_DELETED");
            List<String> actions = auditActions(app, guest);
            Instant auditedBy = Instant.now().plusSeconds(10);
            while (!actions.containsAll(pushes) && Instant.now().isBefore(auditedBy)) {
                Thread.sleep(200);
                actions = auditActions(app, guest);
            }
            assertTrue(actions.containsAll(pushes), actions.toString());
            String trail = app.get("/api/v1/audit/records?subject=guest:" + guest, Deployed.token("compliance-officer")).body();
            assertFalse(trail.contains(created.passphrase()), "no passphrase in the audit trail");

            // a storm: the dashboard answers only 429 (Retry-After 1 s) while 12 guests confirm, then 3 a second
            // against our budget of 10 a second
            meraki.clearRequests();
            meraki.rateLimit(0, Duration.ofSeconds(1));
            int guests = 12;
            Set<String> usernames = new HashSet<>();
            for (int i = 0; i < guests; i++) {
                String stormEmail = "onb-meraki-" + run + "-" + i + "@example.com";
                book(app, pushed, "reservation.confirmed", "R-" + stormEmail, stormEmail, arrival.toString(), departure.toString());
            }
            for (int i = 0; i < guests; i++) {
                usernames.add(awaitCredential(app, "onb-meraki-" + run + "-" + i + "@example.com", c -> c.state().equals("ACTIVE")).username());
            }
            int refusedBefore = meraki.refusals().size();
            Instant closedUntil = Instant.now().plusSeconds(10);
            while (meraki.refusals().size() < refusedBefore + 2 && Instant.now().isBefore(closedUntil)) {
                Thread.sleep(100); // the pushes meet the closed dashboard, and come back after its Retry-After
            }
            assertTrue(meraki.identityPsks().isEmpty(), "nothing gets through a closed dashboard");
            assertTrue(meraki.refusals().size() >= refusedBefore + 2, "the closed dashboard answered 429, twice at least");
            meraki.rateLimit(3, Duration.ofSeconds(1));
            Instant deadline = Instant.now().plusSeconds(20);
            while (meraki.identityPsks().size() < guests && Instant.now().isBefore(deadline)) {
                Thread.sleep(200);
            }
            Thread.sleep(1000); // a late duplicate would arrive now
            List<MerakiEmulator.IdentityPsk> stormed = meraki.identityPsks();
            assertEquals(usernames, stormed.stream().map(MerakiEmulator.IdentityPsk::name).collect(java.util.stream.Collectors.toSet()),
                    "one identity PSK per credential");
            assertEquals(guests, stormed.size(), "none twice");
            List<RecordedRequest> requests = meraki.requests();
            List<io.guestbridge.crmemulator.ServiceEmulator.Refusal> refusals = meraki.refusals();
            // a retried create first looks for what an answer lost on the way may have made; those GETs are counted apart
            Set<Instant> lookupTimes = requests.stream().filter(r -> r.method().equals("GET")).map(RecordedRequest::receivedAt)
                    .collect(java.util.stream.Collectors.toSet());
            long refusedCreates = refusals.stream().filter(r -> !lookupTimes.contains(r.at())).count();
            long creates = requests.stream().filter(r -> r.method().equals("POST")).count();
            assertEquals(requests.size(), creates + lookupTimes.size(), "only creates and lookups: " + requests.size());
            assertEquals(guests, creates - refusedCreates, "each identity PSK created by exactly one accepted POST");
            List<Instant> arrivals = requests.stream().map(RecordedRequest::receivedAt).toList();
            for (io.guestbridge.crmemulator.ServiceEmulator.Refusal refusal : refusals) {
                Instant until = refusal.at().plus(refusal.retryAfter()).minusMillis(50);
                assertTrue(arrivals.stream().noneMatch(at -> at.isAfter(refusal.at()) && at.isBefore(until)),
                        "a request came before the Retry-After of the 429 at " + refusal.at() + " had passed");
            }
            LOG.info("Meraki: " + guests + " identity PSKs, " + refusals.size() + " answered 429, " + lookupTimes.size() + " looked up on the way");
            assertEquals(List.of(), meraki.contractViolations(), "every request keeps Meraki's document");
        } finally {
            meraki.rateLimit(10, Duration.ofSeconds(1));
        }
    }

    private static MerakiEmulator.IdentityPsk awaitPsk(MerakiEmulator meraki, String name, java.util.function.Predicate<MerakiEmulator.IdentityPsk> wanted)
            throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(deadline)) {
            Optional<MerakiEmulator.IdentityPsk> found = meraki.identityPsks().stream().filter(p -> p.name().equals(name)).filter(wanted).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(100);
        }
        return fail("no identity PSK as expected for " + name + " within 20 s; the dashboard holds " + meraki.identityPsks().size()
                + "; contract violations " + meraki.contractViolations());
    }

    private static String merakiPskId(String credential) throws SQLException {
        try (Connection c = Deployed.database(); PreparedStatement s = c.prepareStatement("SELECT meraki_psk_id FROM onb_credential WHERE id = ?")) {
            s.setString(1, credential);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    // ---------------------------------------------------------------- the hotel

    /** A venue (made by a Purple login, the way venues appear), its booking source and its RADIUS network; once per class. */
    private static synchronized Hotel hotel(Deployed app) throws Exception {
        if (hotel == null) {
            hotel = newHotel(app, "\"kind\":\"RADIUS\"");
        }
        return hotel;
    }

    /** A venue of its own with a booking source and a network of the kind (and settings) given as JSON members. */
    private static Hotel newHotel(Deployed app, String networkMembers) throws Exception {
        Hotel hotel = newVenueAndSource(app);
        assertEquals(60, configureNetwork(app, hotel, networkMembers).getInt("graceAfterMinutes"));
        return hotel;
    }

    /** A venue of its own (made by a Purple login there) and a booking source, with no network yet. */
    private static Hotel newVenueAndSource(Deployed app) throws Exception {
        String operator = Deployed.token("operator");
        HttpResponse<String> purple = app.post("/api/v1/sources", operator, "application/json",
                "{\"kind\":\"PURPLE\",\"name\":\"onboarding portal\",\"timeZone\":\"Europe/London\"}");
        assertEquals(201, purple.statusCode(), purple.body());
        String venueRef = String.valueOf(700000 + (int) (Math.random() * 99999));
        String login = "{\"client\":{\"mac\":\"00-01-02-03-04-05\"},\"session\":{\"authenticationTime\":\"2026-11-01T10:00:00+0000\"},"
                + "\"user\":{\"email\":\"onb-portal-" + UUID.randomUUID() + "@example.com\",\"id\":1},\"venue\":{\"id\":" + venueRef
                + ",\"name\":\"Onboarding Hotel\"}}";
        HttpResponse<String> stored = app.post(Deployed.json(purple).getString("webhookPath"), null, "application/json", login);
        assertEquals(200, stored.statusCode(), stored.body());
        String venueId = null;
        Instant deadline = Instant.now().plusSeconds(30);
        while (venueId == null && Instant.now().isBefore(deadline)) {
            for (JsonValue v : Deployed.parse(app.get("/api/v1/venues", operator).body()).asJsonArray()) {
                if (("purple:" + venueRef).equals(v.asJsonObject().getString("ref"))) {
                    venueId = v.asJsonObject().getString("id");
                }
            }
            if (venueId == null) {
                Thread.sleep(200);
            }
        }
        assertTrue(venueId != null, "the Purple login made the venue");
        HttpResponse<String> pms = app.post("/api/v1/sources", operator, "application/json",
                "{\"kind\":\"BOOKING\",\"name\":\"onboarding PMS\",\"timeZone\":\"Europe/London\"}");
        assertEquals(201, pms.statusCode(), pms.body());
        JsonObject source = Deployed.json(pms);
        String sourceId = source.getJsonObject("source") != null ? source.getJsonObject("source").getString("id") : source.getString("id");
        return new Hotel(venueId, sourceId, source.getString("webhookPath"), source.getString("signingSecret"));
    }

    /** Saves the hotel's network: its booking source, and the kind and settings given as JSON members. */
    private static JsonObject configureNetwork(Deployed app, Hotel hotel, String networkMembers) {
        HttpResponse<String> network = app.send(app.request("/api/v1/onboarding/networks/" + hotel.venueId(), Deployed.token("operator"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(
                        "{\"bookingSourceId\":\"" + hotel.sourceId() + "\"," + networkMembers + ",\"ssid\":\"Onboarding Hotel Guests\"}")).build());
        assertEquals(200, network.statusCode(), network.body());
        return Deployed.json(network);
    }

    private static void book(Deployed app, Hotel hotel, String type, String reservation, String email, String arrival, String departure) {
        book(app, hotel, type, reservation, email, null, arrival, departure);
    }

    /** Posts a booking event as the hotel's PMS does, signed with the source's secret; the inbox must store it. */
    private static void postSigned(Deployed app, Hotel hotel, String body) {
        String id = "evt_" + UUID.randomUUID();
        long timestamp = Instant.now().getEpochSecond();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> stored = app.send(app.request(hotel.bookingPath(), null).header("Content-Type", "application/json")
                .header("webhook-id", id).header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", io.guestbridge.platform.api.WebhookSignatures.sign(hotel.signingSecret(), id, timestamp, bytes))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
        assertEquals(200, stored.statusCode(), stored.body());
    }

    private static void book(Deployed app, Hotel hotel, String type, String reservation, String email, String phone, String arrival, String departure) {
        String body = "{\"type\":\"" + type + "\",\"occurredAt\":\"" + Instant.now() + "\",\"reservation\":{\"id\":\"" + reservation.hashCode()
                + "\",\"arrival\":\"" + arrival + "\",\"departure\":\"" + departure + "\",\"timeZone\":\"Europe/London\"},"
                + "\"guest\":{\"id\":\"G-" + email.hashCode() + "\",\"email\":\"" + email + "\"" + (phone == null ? "" : ",\"phone\":\"" + phone + "\"")
                + "}}";
        postSigned(app, hotel, body);
    }

    // ---------------------------------------------------------------- credentials behind the API

    private static Credential awaitCredential(Deployed app, String email, java.util.function.Predicate<Credential> wanted) throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        Credential last = null;
        while (Instant.now().isBefore(deadline)) {
            Optional<String> guest = guestOf(app, email);
            if (guest.isPresent()) {
                last = latestCredential(guest.get()).orElse(null);
                if (last != null && wanted.test(last)) {
                    return last;
                }
            }
            Thread.sleep(200);
        }
        return fail("no credential as expected for the booking within 30 s; last seen: " + last);
    }

    /** What a guest reads in their credential mail: the plain text, the passphrase in it and the QR code's text. */
    private record DeliveredMail(String text, String passphrase, String joinCode) {
    }

    private static final java.time.format.DateTimeFormatter LOCAL = java.time.format.DateTimeFormatter.ofPattern("EEEE d MMMM yyyy, HH:mm",
            java.util.Locale.ENGLISH).withZone(LONDON);

    /** The {@code count}-th credential mail to {@code email}, read as a guest would: its text and its QR code, decoded with ZXing. */
    private static DeliveredMail awaitMail(String email, int count) throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            jakarta.mail.internet.MimeMessage[] received = ItEnvironment.mail().getReceivedMessagesForDomain(email);
            if (received.length >= count) {
                jakarta.mail.internet.MimeMessage message = received[count - 1];
                assertEquals("Your WiFi at Onboarding Hotel", message.getSubject());
                StringBuilder text = new StringBuilder();
                List<byte[]> images = new ArrayList<>();
                collect(message, text, images);
                Matcher passphrase = Pattern.compile("Passphrase: (\\S+)").matcher(text);
                assertTrue(passphrase.find(), "the mail names the passphrase");
                assertEquals(1, images.size(), "one inline image, the QR code");
                return new DeliveredMail(text.toString(), passphrase.group(1), decodeQr(images.get(0)));
            }
            Thread.sleep(200);
        }
        return fail("no credential mail number " + count + " within 30 s");
    }

    private static void collect(jakarta.mail.Part part, StringBuilder text, List<byte[]> images) throws Exception {
        if (part.isMimeType("text/plain")) {
            text.append(part.getContent());
        } else if (part.isMimeType("image/png")) {
            assertTrue(jakarta.mail.Part.INLINE.equalsIgnoreCase(part.getDisposition()), "the QR code is inline");
            images.add(part.getInputStream().readAllBytes());
        } else if (part.getContent() instanceof jakarta.mail.Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                collect(multipart.getBodyPart(i), text, images);
            }
        }
    }

    private static String decodeQr(byte[] png) throws Exception {
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png));
        int[] pixels = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        return new com.google.zxing.qrcode.QRCodeReader().decode(new com.google.zxing.BinaryBitmap(new com.google.zxing.common.HybridBinarizer(
                new com.google.zxing.RGBLuminanceSource(image.getWidth(), image.getHeight(), pixels)))).getText();
    }

    private static Optional<String> guestOf(Deployed app, String email) {
        HttpResponse<String> found = app.post("/api/v1/guests/search",
                Deployed.token("dpo"), "application/json", "{\"email\":\"" + email + "\"}");
        return found.statusCode() == 200 ? Optional.of(Deployed.json(found).getString("guest")) : Optional.empty();
    }

    private static Optional<Credential> latestCredential(String guest) throws SQLException {
        try (Connection c = Deployed.database(); PreparedStatement s = c.prepareStatement("SELECT id, guest_id, username, valid_from, valid_until, "
                + "state, revoked_reason FROM onb_credential WHERE guest_id = ? ORDER BY created_at DESC LIMIT 1")) {
            s.setString(1, guest);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Credential(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getObject(4, java.time.LocalDateTime.class).toInstant(java.time.ZoneOffset.UTC),
                        rs.getObject(5, java.time.LocalDateTime.class).toInstant(java.time.ZoneOffset.UTC), rs.getString(6), rs.getString(7)));
            }
        }
    }

    private static int credentialRows(String guest) throws SQLException {
        try (Connection c = Deployed.database(); PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM onb_credential WHERE guest_id = ?")) {
            s.setString(1, guest);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static String passphrase(Deployed app, String credential) {
        HttpResponse<String> opened = app.get("/api/v1/it-probe/onboarding/passphrase/" + credential, null);
        assertEquals(200, opened.statusCode(), opened.body());
        return opened.body().strip();
    }

    private static List<String> auditActions(Deployed app, String guest) {
        HttpResponse<String> records = app.get("/api/v1/audit/records?subject=guest:" + guest, Deployed.token("compliance-officer"));
        assertEquals(200, records.statusCode(), records.body());
        List<String> actions = new ArrayList<>();
        for (JsonValue r : Deployed.json(records).getJsonArray("records")) {
            actions.add(r.asJsonObject().getString("action"));
        }
        return actions;
    }

    private static void sleepUntil(Instant at) throws InterruptedException {
        long millis = Duration.between(Instant.now(), at).toMillis();
        if (millis > 0) {
            Thread.sleep(Math.min(millis, 30_000));
        }
    }

    // ---------------------------------------------------------------- FreeRADIUS

    private static Path radiusHome() {
        return Path.of(System.getProperty("guestbridge.it.home")).resolve("freeradius");
    }

    /** FreeRADIUS with our configuration, calling this deployment; started once for the class. */
    private static synchronized void startRadius(Deployed app) throws Exception {
        int port = app.uri("/").getPort();
        if (radius != null) {
            return;
        }
        Path home = radiusHome();
        Files.createDirectories(home);
        Files.deleteIfExists(home.resolve("radius.log"));
        try (DatagramSocket probe = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            radiusPort = probe.getLocalPort();
        }
        ProcessBuilder builder = new ProcessBuilder("/usr/sbin/freeradius", "-f", "-d", Path.of("../../deploy/freeradius").toAbsolutePath().normalize().toString())
                .redirectErrorStream(true).redirectOutput(home.resolve("stdout.log").toFile());
        builder.environment().put("GUESTBRIDGE_RADIUS_RUN_DIR", home.toString());
        builder.environment().put("GUESTBRIDGE_RADIUS_AUTH_PORT", Integer.toString(radiusPort));
        builder.environment().put("GUESTBRIDGE_RADIUS_LISTEN", "127.0.0.1");
        builder.environment().put("GUESTBRIDGE_RADIUS_NAS_NETWORK", "127.0.0.1/32");
        builder.environment().put("GUESTBRIDGE_RADIUS_NAS_SECRET", NAS_SECRET);
        builder.environment().put("GUESTBRIDGE_URL", "http://127.0.0.1:" + port);
        builder.environment().put("GUESTBRIDGE_RADIUS_REST_SECRET", ItEnvironment.radiusSecret());
        radius = builder.start();
        Instant deadline = Instant.now().plusSeconds(20);
        while (!radiusLog().contains("Ready to process requests")) {
            if (!radius.isAlive() || Instant.now().isAfter(deadline)) {
                fail("FreeRADIUS did not start: " + radiusLog() + Files.readString(home.resolve("stdout.log")));
            }
            Thread.sleep(100);
        }
        LOG.info(() -> "FreeRADIUS answers on 127.0.0.1:" + radiusPort);
    }

    private static String radiusLog() {
        try {
            Path log = radiusHome().resolve("radius.log");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static String serverLog() throws IOException {
        Path log = Path.of(System.getProperty("guestbridge.it.serverlog"));
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(log.getParent())) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith(log.getFileName().toString())).toList()) {
                all.append(Files.readString(file, StandardCharsets.ISO_8859_1));
            }
        }
        return all.toString();
    }

    /**
     * A controller's MAC authentication as Meraki and Aruba send it: the MAC as lower-case hex in User-Name and
     * User-Password, as AA-BB-CC-DD-EE-FF in Calling-Station-Id; the SSID after the access point's MAC in Called-Station-Id.
     */
    private static RadiusAnswer radiusDevice(String mac, String ssid) throws Exception {
        String hex = mac.replace(":", "");
        return radclient("User-Name = \"" + hex + "\", User-Password = \"" + hex + "\", Calling-Station-Id = \""
                + mac.replace(':', '-').toUpperCase(java.util.Locale.ROOT) + "\"" + (ssid == null ? "" : ", Called-Station-Id = \"0C-8D-DB-11-22-33:" + ssid + "\""));
    }

    /** One Access-Request by Debian's radclient; the answer and its Session-Timeout. */
    private static RadiusAnswer radius(String username, String password) throws Exception {
        RadiusAnswer answer = radclient("User-Name = \"" + username + "\", User-Password = \"" + password + "\"");
        return new RadiusAnswer(answer.accepted(), answer.sessionTimeout(), answer.output().replace(password, "<passphrase>"));
    }

    private static RadiusAnswer radclient(String attributes) throws Exception {
        Process client = new ProcessBuilder("radclient", "-x", "-r", "1", "-t", "8", "127.0.0.1:" + radiusPort, "auth", NAS_SECRET)
                .redirectErrorStream(true).start();
        client.getOutputStream().write((attributes + "\n").getBytes(StandardCharsets.UTF_8));
        client.getOutputStream().close();
        if (!client.waitFor(20, TimeUnit.SECONDS)) {
            client.destroyForcibly();
            fail("radclient did not finish");
        }
        String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean accepted = output.contains("Received Access-Accept");
        assertTrue(accepted || output.contains("Received Access-Reject"), "FreeRADIUS answered: " + output);
        Matcher timeout = Pattern.compile("Session-Timeout = (\\d+)").matcher(output);
        return new RadiusAnswer(accepted, timeout.find() ? Optional.of(Long.parseLong(timeout.group(1))) : Optional.empty(), output);
    }

    @Test
    void ruckusDevicesAreAnsweredByTheirDpskHandshakeWithThePassphrasesPmkInsideTheWindowOnly() throws Exception {
        Deployed app = new Deployed(url);
        startRadius(app);
        Hotel ruckus = newHotel(app, "\"kind\":\"PPSK\",\"radiusVendor\":\"RUCKUS\"");
        String ssid = "Onboarding Hotel Guests";
        Instant arrival = Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
        Instant departure = Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
        // a stay whose window (an hour of grace after departure) ends in 25 seconds, and one that is cancelled later
        String ending = "onb-" + UUID.randomUUID() + "@example.com";
        String cancelled = "onb-" + UUID.randomUUID() + "@example.com";
        book(app, ruckus, "reservation.confirmed", "R-" + ending, ending, arrival.toString(),
                Instant.now().minus(Duration.ofHours(1)).plusSeconds(25).truncatedTo(ChronoUnit.SECONDS).toString());
        book(app, ruckus, "reservation.confirmed", "R-" + cancelled, cancelled, arrival.toString(), departure.toString());
        Credential closing = awaitCredential(app, ending, c -> c.state().equals("ACTIVE"));
        Credential toCancel = awaitCredential(app, cancelled, c -> c.state().equals("ACTIVE"));
        String passphrase = passphrase(app, closing.id());
        String otherPassphrase = passphrase(app, toCancel.id());
        byte[] pmk = independentPmk(passphrase, ssid);

        // an unbound phone's handshake with the guest's passphrase: accepted with its PMK, and the phone is bound
        String phone = randomMac();
        RadiusAnswer accepted = radiusDpsk(phone, ssid, passphrase);
        assertTrue(accepted.accepted(), accepted.output());
        assertTrue(accepted.output().contains("Ruckus-Dpsk = 0x" + java.util.HexFormat.of().formatHex(pmk)), accepted.output());
        long left = accepted.sessionTimeout().orElseThrow(() -> new AssertionError("no Session-Timeout: " + accepted.output()));
        assertTrue(left <= 25, "Session-Timeout is what is left of the window: " + left);
        Instant audited = Instant.now().plusSeconds(30); // the trail shows records once the sequencer has numbered them
        while (!auditActions(app, closing.guest()).contains("WIFI_CREDENTIAL_DEVICE_BOUND") && Instant.now().isBefore(audited)) {
            Thread.sleep(250);
        }
        assertTrue(auditActions(app, closing.guest()).contains("WIFI_CREDENTIAL_DEVICE_BOUND"), "the first success binds the device");
        String records = app.get("/api/v1/audit/records?subject=guest:" + closing.guest(), Deployed.token("compliance-officer")).body();
        assertTrue(records.contains("radius:ruckus-dpsk"), "bound by the DPSK check, as its actor: " + records);
        // the bound phone again, a new handshake: checked against its credential
        assertTrue(radiusDpsk(phone, ssid, passphrase).accepted(), "a bound device's next handshake");
        assertFalse(radiusDpsk(phone, ssid, otherPassphrase).accepted(), "a bound device is checked against its own credential only");

        // wrong passphrase, another SSID, and the other guest's device until that stay is cancelled
        assertFalse(radiusDpsk(randomMac(), ssid, passphrase + "x").accepted(), "a wrong passphrase's handshake");
        assertFalse(radiusDpsk(randomMac(), "Another SSID", passphrase).accepted(), "an SSID no Ruckus network has");
        String tablet = randomMac();
        RadiusAnswer other = radiusDpsk(tablet, ssid, otherPassphrase);
        assertTrue(other.accepted(), other.output());
        assertTrue(other.output().contains("Ruckus-Dpsk = 0x" + java.util.HexFormat.of().formatHex(independentPmk(otherPassphrase, ssid))));
        book(app, ruckus, "reservation.cancelled", "R-" + cancelled, cancelled, arrival.toString(), departure.toString());
        awaitCredential(app, cancelled, c -> c.state().equals("REVOKED"));
        assertFalse(radiusDpsk(tablet, ssid, otherPassphrase).accepted(), "refused after revocation (bound device)");
        assertFalse(radiusDpsk(randomMac(), ssid, otherPassphrase).accepted(), "refused after revocation (unbound device)");

        while (Instant.now().isBefore(closing.validUntil().plusMillis(500))) {
            sleepUntil(closing.validUntil().plusMillis(500)); // 30 s at most a time
        }
        assertFalse(radiusDpsk(phone, ssid, passphrase).accepted(), "refused after the window");
        assertFalse(radiusDpsk(randomMac(), ssid, passphrase).accepted(), "refused after the window (unbound device)");

        String hexPmk = java.util.HexFormat.of().formatHex(pmk);
        String trail = app.get("/api/v1/audit/records?subject=guest:" + closing.guest(), Deployed.token("compliance-officer")).body();
        for (String secret : List.of(passphrase, hexPmk, phone.replace(":", ""), phone.replace(':', '-').toUpperCase(java.util.Locale.ROOT))) {
            assertFalse(trail.contains(secret), "no passphrase, PMK or MAC in the audit trail");
            assertFalse(serverLog().contains(secret), "no passphrase, PMK or MAC in the server log");
            assertFalse(radiusLog().contains(secret), "no passphrase, PMK or MAC in FreeRADIUS's log");
        }
    }

    /** PBKDF2-HMAC-SHA1(passphrase, SSID, 4096, 256 bits), straight from the Java runtime. */
    private static byte[] independentPmk(String passphrase, String ssid) throws Exception {
        return javax.crypto.SecretKeyFactory.getInstance("PBKDF2WithHmacSHA1").generateSecret(new javax.crypto.spec.PBEKeySpec(
                passphrase.toCharArray(), ssid.getBytes(StandardCharsets.UTF_8), 4096, 256)).getEncoded();
    }

    /**
     * A Ruckus access point's external DPSK Access-Request for a device that associated with {@code passphrase}: the
     * device's message 2 of the four-way handshake (fresh nonces), its MIC made as IEEE 802.11 says with the KCK of
     * PRF-512 over the passphrase's PMK, in Ruckus-DPSK-Params' members; the device's MAC in User-Name and
     * Calling-Station-Id; the access point's in Ruckus-BSSID and before the SSID in Called-Station-Id.
     */
    private static RadiusAnswer radiusDpsk(String mac, String ssid, String passphrase) throws Exception {
        java.security.SecureRandom random = new java.security.SecureRandom();
        byte[] device = java.util.HexFormat.ofDelimiter(":").parseHex(mac);
        byte[] accessPoint = java.util.HexFormat.of().parseHex("0c8ddb112233");
        byte[] anonce = new byte[32];
        byte[] snonce = new byte[32];
        random.nextBytes(anonce);
        random.nextBytes(snonce);
        byte[] pmk = independentPmk(passphrase, ssid);
        java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
        boolean macs = java.util.Arrays.compareUnsigned(device, accessPoint) < 0;
        boolean nonces = java.util.Arrays.compareUnsigned(snonce, anonce) < 0;
        data.write(macs ? device : accessPoint);
        data.write(macs ? accessPoint : device);
        data.write(nonces ? snonce : anonce);
        data.write(nonces ? anonce : snonce);
        javax.crypto.Mac hmac = javax.crypto.Mac.getInstance("HmacSHA1");
        hmac.init(new javax.crypto.spec.SecretKeySpec(pmk, "HmacSHA1"));
        hmac.update("Pairwise key expansion".getBytes(StandardCharsets.US_ASCII));
        hmac.update((byte) 0);
        hmac.update(data.toByteArray());
        hmac.update((byte) 0); // PRF-512's first block: the KCK is its first 16 octets
        byte[] kck = java.util.Arrays.copyOf(hmac.doFinal(), 16);
        byte[] rsn = java.util.HexFormat.of().parseHex("30140100000fac040100000fac040100000fac020000");
        java.io.ByteArrayOutputStream frame = new java.io.ByteArrayOutputStream();
        frame.write(new byte[] {0x02, 0x03, 0x00, (byte) (95 + rsn.length), 0x02, 0x01, 0x0a, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 1});
        frame.write(snonce);
        frame.write(new byte[16 + 8 + 8 + 16]); // IV, RSC, reserved, the MIC zeroed
        frame.write(new byte[] {0x00, (byte) rsn.length});
        frame.write(rsn);
        byte[] message = frame.toByteArray();
        hmac.init(new javax.crypto.spec.SecretKeySpec(kck, "HmacSHA1"));
        System.arraycopy(hmac.doFinal(message), 0, message, 81, 16);
        java.util.HexFormat hex = java.util.HexFormat.of();
        String user = mac.replace(":", "");
        RadiusAnswer answer = radclient("User-Name = \"" + user + "\", User-Password = \"" + user + "\", Calling-Station-Id = \""
                + mac.replace(':', '-').toUpperCase(java.util.Locale.ROOT) + "\", Called-Station-Id = \"0C-8D-DB-11-22-33:" + ssid + "\", "
                + "Ruckus-BSSID = 0x" + hex.formatHex(accessPoint) + ", Ruckus-DPSK-AKM-Suite = 0x000fac02, Ruckus-DPSK-Cipher = 4, "
                + "Ruckus-DPSK-Anonce = 0x" + hex.formatHex(anonce) + ", Ruckus-DPSK-EAPOL-Key-Frame = 0x" + hex.formatHex(message));
        return answer;
    }

    // ---------------------------------------------------------------- a venue's own words, and a relay that refuses

    @Test
    void aFrenchVenuesOwnWordsAreWhatItsGuestsReceiveByMailAndByText() throws Exception {
        Deployed app = new Deployed(url);
        String operator = Deployed.token("operator");
        Hotel french = newHotel(app, "\"kind\":\"RADIUS\"");
        HttpResponse<String> inFrance = app.send(app.request("/api/v1/venues/" + french.venueId(), operator).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"country\":\"FR\"}")).build());
        assertEquals(200, inFrance.statusCode(), inFrance.body());
        String templates = "/api/v1/onboarding/templates/" + french.venueId();

        // refused with the names: a placeholder that is none, and a RADIUS network's message without the user name
        HttpResponse<String> typo = putTemplate(app, operator, templates + "/email/fr",
                "{\"subject\":\"WiFi\",\"body\":\"{network} {username} {pasphrase}\"}");
        assertEquals(400, typo.statusCode(), typo.body());
        assertTrue(typo.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        JsonObject typoProblem = Deployed.json(typo);
        assertEquals(List.of("pasphrase"), typoProblem.getJsonArray("unknownPlaceholders").getValuesAs(jakarta.json.JsonString::getString));
        assertEquals(List.of("passphrase"), typoProblem.getJsonArray("missingPlaceholders").getValuesAs(jakarta.json.JsonString::getString));
        assertTrue(typoProblem.getString("detail").contains("{pasphrase}"), typo.body());
        HttpResponse<String> noUser = putTemplate(app, operator, templates + "/sms/fr", "{\"body\":\"{network} {passphrase}\"}");
        assertEquals(400, noUser.statusCode(), noUser.body());
        assertTrue(noUser.body().contains("\"username\"") && noUser.body().contains("RADIUS"), noUser.body());
        assertEquals(400, putTemplate(app, operator, templates + "/email/fr", "{\"subject\":\"{passphrase}\",\"body\":\"{network} {username} "
                + "{passphrase}\"}").statusCode(), "no passphrase in a subject");
        assertEquals(400, putTemplate(app, operator, templates + "/email/de", "{\"subject\":\"WiFi\",\"body\":\"{network} {username} {passphrase}\"}")
                .statusCode(), "a language without built-in words");
        assertEquals(400, putTemplate(app, operator, templates + "/fax/fr", "{\"body\":\"{network} {username} {passphrase}\"}").statusCode());
        assertEquals(404, putTemplate(app, operator, "/api/v1/onboarding/templates/" + UUID.randomUUID() + "/sms/fr",
                "{\"body\":\"{network} {username} {passphrase}\"}").statusCode());
        assertEquals(403, putTemplate(app, Deployed.token("integration"), templates + "/sms/fr", "{\"body\":\"{network} {username} {passphrase}\"}")
                .statusCode());

        String mailBody = "Bonjour {firstName},\n\nVotre accès au réseau {network} :\nidentifiant {username}\nmot de passe {passphrase}\n\n"
                + "Valable du {validFrom} au {validUntil} ({timeZone}).\nL'équipe du {venue}";
        String smsBody = "{venue} : WiFi {network}, identifiant {username}, code {passphrase}, jusqu'au {validUntil}";
        HttpResponse<String> mailFr = putTemplate(app, operator, templates + "/email/fr", jakarta.json.Json.createObjectBuilder()
                .add("subject", "{firstName}, votre WiFi au {venue}").add("body", mailBody).build().toString());
        assertEquals(200, mailFr.statusCode(), mailFr.body());
        assertEquals("fr", Deployed.json(mailFr).getString("language"));
        assertEquals(200, putTemplate(app, operator, templates + "/sms/fr",
                jakarta.json.Json.createObjectBuilder().add("body", smsBody).build().toString()).statusCode());
        assertEquals(200, putTemplate(app, operator, templates + "/email/en", "{\"subject\":\"English words\",\"body\":\"{network} {username} "
                + "{passphrase}\"}").statusCode(), "the English words, which a French venue's guests do not read");
        HttpResponse<String> listed = app.get(templates, operator);
        assertEquals(200, listed.statusCode(), listed.body());
        assertEquals(3, Deployed.parse(listed.body()).asJsonArray().size(), listed.body());

        String email = "onb-fr-" + UUID.randomUUID() + "@example.com";
        Instant arrival = Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
        Instant departure = Instant.now().plus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS);
        bookGuest(app, french, "R-" + email, email, "Amélie", "+33612345678", arrival, departure);
        Credential issued = awaitCredential(app, email, c -> c.state().equals("ACTIVE"));
        String passphrase = passphrase(app, issued.id());
        java.time.format.DateTimeFormatter frenchDates = java.time.format.DateTimeFormatter.ofPattern("EEEE d MMMM yyyy, HH'h'mm",
                java.util.Locale.FRENCH).withZone(LONDON);

        jakarta.mail.internet.MimeMessage mail = awaitMessage(email);
        assertEquals("Amélie, votre WiFi au Onboarding Hotel", mail.getSubject());
        StringBuilder text = new StringBuilder();
        List<byte[]> images = new ArrayList<>();
        collect(mail, text, images);
        assertEquals("Bonjour Amélie,\n\nVotre accès au réseau Onboarding Hotel Guests :\nidentifiant " + issued.username() + "\nmot de passe "
                + passphrase + "\n\nValable du " + frenchDates.format(issued.validFrom()) + " au " + frenchDates.format(issued.validUntil())
                + " (Europe/London).\nL'équipe du Onboarding Hotel\n", text.toString().replace("\r\n", "\n"), "the venue's French words, filled in");
        assertEquals(1, images.size(), "the QR code follows the venue's words");
        assertEquals("WIFI:T:WPA2-EAP;S:Onboarding Hotel Guests;E:TTLS;PH2:PAP;I:" + issued.username() + ";P:" + passphrase + ";;", decodeQr(images.get(0)));

        SmsGatewayEmulator.Sent texted = awaitText(issued.id());
        assertEquals("+33612345678", texted.to());
        assertEquals("Onboarding Hotel : WiFi Onboarding Hotel Guests, identifiant " + issued.username() + ", code " + passphrase + ", jusqu'au "
                + frenchDates.format(issued.validUntil()), texted.text());

        // back to the built-in words: removed once, then there is nothing to remove
        assertEquals(204, app.send("DELETE", templates + "/sms/fr", operator).statusCode());
        assertEquals(404, app.send("DELETE", templates + "/sms/fr", operator).statusCode());
        List<String> changes = List.of();
        for (Instant until = Instant.now().plusSeconds(10); changes.size() < 4 && Instant.now().isBefore(until); Thread.sleep(200)) {
            HttpResponse<String> records = app.get("/api/v1/audit/records?subject=venue:" + french.venueId(), Deployed.token("compliance-officer"));
            assertEquals(200, records.statusCode(), records.body());
            assertFalse(records.body().contains("mot de passe") || records.body().contains("{passphrase}"), "the words stay out of the trail");
            changes = Deployed.json(records).getJsonArray("records").stream().map(r -> r.asJsonObject().getString("action"))
                    .filter(a -> a.startsWith("WIFI_DELIVERY_TEMPLATE_")).toList();
        }
        assertEquals(4, changes.size(), "three set, one removed: " + changes);
        assertTrue(changes.contains("WIFI_DELIVERY_TEMPLATE_REMOVED"), changes.toString());
        assertFalse(serverLog().contains(passphrase), "no passphrase in the server log");
    }

    @Test
    void aMailTheRelayRefusesUntilTheLastAttemptIsADeadLetterThatAReplayDeliversOnce() throws Exception {
        Deployed app = new Deployed(url);
        Hotel hotel = hotel(app);
        String operator = Deployed.token("operator");
        String email = "onb-dead-" + UUID.randomUUID() + "@example.com";
        Instant arrival = Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
        Instant departure = Instant.now().plus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS);
        JsonObject dead = null;
        ItEnvironment.mail().stop(); // the relay's port answers nothing: every attempt finds it unreachable
        try {
            book(app, hotel, "reservation.confirmed", "R-" + email, email, arrival.toString(), departure.toString());
            Credential issued = awaitCredential(app, email, c -> c.state().equals("ACTIVE"));
            // three attempts (QUEUE_WIFI_DELIVERY_MAIL_MAX_ATTEMPTS in the test server), a second apart at most
            for (Instant until = Instant.now().plusSeconds(30); dead == null && Instant.now().isBefore(until); Thread.sleep(250)) {
                HttpResponse<String> listed = app.get("/api/v1/onboarding/deliveries/dead-letters?channel=email", operator);
                assertEquals(200, listed.statusCode(), listed.body());
                dead = Deployed.parse(listed.body()).asJsonArray().stream().map(JsonValue::asJsonObject)
                        .filter(d -> issued.id().equals(d.getString("credential", null))).findFirst().orElse(null);
            }
            assertTrue(dead != null, "the mail is a dead letter after its last attempt");
            assertEquals("SMTP: the relay is unreachable", dead.getString("reason"));
            assertEquals(3, dead.getInt("attempts"));
            assertFalse(dead.toString().contains(email), "no address in the dead letter");
            assertEquals("ACTIVE", latestCredential(issued.guest()).orElseThrow().state(), "a mail that failed leaves the credential as it is");
        } finally {
            ItEnvironment.mail().start();
        }
        assertEquals(0, ItEnvironment.mail().getReceivedMessagesForDomain(email).length);
        HttpResponse<String> replayed = app.post("/api/v1/onboarding/deliveries/dead-letters/" + dead.getJsonNumber("id").longValue()
                + "/replay?channel=email", operator, null, null);
        assertEquals(200, replayed.statusCode(), replayed.body());
        DeliveredMail delivered = awaitMail(email, 1);
        Thread.sleep(2000); // a second copy would arrive now
        assertEquals(1, ItEnvironment.mail().getReceivedMessagesForDomain(email).length, "exactly one mail after the replay");
        assertEquals(passphrase(app, latestCredential(guestOf(app, email).orElseThrow()).orElseThrow().id()), delivered.passphrase());
        HttpResponse<String> after = app.get("/api/v1/onboarding/deliveries/dead-letters?channel=email", operator);
        long deadId = dead.getJsonNumber("id").longValue();
        assertTrue(Deployed.parse(after.body()).asJsonArray().stream().noneMatch(d -> d.asJsonObject().getJsonNumber("id").longValue() == deadId),
                "the replayed letter is dead no more: " + after.body());
        assertEquals(404, app.post("/api/v1/onboarding/deliveries/dead-letters/" + deadId + "/replay?channel=email", operator, null, null).statusCode(),
                "replayed once");
    }

    private static HttpResponse<String> putTemplate(Deployed app, String token, String path, String json) {
        return app.send(app.request(path, token).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** A confirmed booking of a guest with a first name and a phone number, the times in UTC. */
    private static void bookGuest(Deployed app, Hotel hotel, String reservation, String email, String firstName, String phone, Instant arrival,
                                  Instant departure) {
        String body = jakarta.json.Json.createObjectBuilder().add("type", "reservation.confirmed").add("occurredAt", Instant.now().toString())
                .add("reservation", jakarta.json.Json.createObjectBuilder().add("id", Integer.toString(reservation.hashCode()))
                        .add("arrival", arrival.toString()).add("departure", departure.toString()).add("timeZone", "Europe/London"))
                .add("guest", jakarta.json.Json.createObjectBuilder().add("id", "G-" + email.hashCode()).add("email", email)
                        .add("firstName", firstName).add("phone", phone)).build().toString();
        postSigned(app, hotel, body);
    }

    private static jakarta.mail.internet.MimeMessage awaitMessage(String email) throws InterruptedException {
        for (Instant until = Instant.now().plusSeconds(30); Instant.now().isBefore(until); Thread.sleep(200)) {
            jakarta.mail.internet.MimeMessage[] received = ItEnvironment.mail().getReceivedMessagesForDomain(email);
            if (received.length > 0) {
                return received[0];
            }
        }
        return fail("no mail within 30 s");
    }

    private static SmsGatewayEmulator.Sent awaitText(String credential) throws InterruptedException {
        for (Instant until = Instant.now().plusSeconds(30); Instant.now().isBefore(until); Thread.sleep(200)) {
            Optional<SmsGatewayEmulator.Sent> sent = ItEnvironment.crm().sms().sent().stream().filter(m -> credential.equals(m.reference())).findFirst();
            if (sent.isPresent()) {
                return sent.get();
            }
        }
        return fail("no text message within 30 s");
    }
}
