package io.guestbridge.crmemulator;

import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static io.guestbridge.crmemulator.TestHttp.array;
import static io.guestbridge.crmemulator.TestHttp.header;
import static io.guestbridge.crmemulator.TestHttp.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MerakiEmulatorTest {

    private static final String PSKS = "/api/v1/networks/N_24329156/wireless/ssids/3/identityPsks";
    private static final String DOCUMENT_PSKS = "/networks/N_24329156/wireless/ssids/3/identityPsks";

    private static CrmEmulator emulator;
    private static MerakiEmulator meraki;
    private static TestHttp http;

    @BeforeAll
    static void start() {
        emulator = CrmEmulator.start();
        meraki = emulator.meraki();
        http = new TestHttp(emulator.baseUrl());
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @BeforeEach
    void freshService() {
        emulator.reset();
    }

    @Test
    void anIdentityPskIsCreatedReadMovedAndDeletedWithAnswersThatKeepMerakisDocument() {
        HttpResponse<String> created = send("POST", PSKS,
                "{\"name\":\"wifi-k3m9q2x7pa\",\"passphrase\":\"abcdefgh2345mn\",\"groupPolicyId\":\"101\","
                        + "\"expiresAt\":\"2027-03-14T11:00:00Z\"}");
        assertEquals(201, created.statusCode(), created.body());
        String id = object(created).getString("id");
        assertValidAnswer("/networks/N_24329156/wireless/ssids/3/identityPsks", Request.Method.POST, created);
        assertEquals("2027-03-14T11:00:00Z", meraki.identityPsk(id).orElseThrow().expiresAt());

        HttpResponse<String> moved = send("PUT", PSKS + "/" + id, "{\"expiresAt\":\"2027-03-16T11:00:00Z\"}");
        assertEquals(200, moved.statusCode(), moved.body());
        assertValidAnswer(DOCUMENT_PSKS + "/" + id, Request.Method.PUT, moved);
        MerakiEmulator.IdentityPsk stored = meraki.identityPsk(id).orElseThrow();
        assertEquals("2027-03-16T11:00:00Z", stored.expiresAt());
        assertEquals("abcdefgh2345mn", stored.passphrase(), "fields not sent keep their values");
        assertEquals("wifi-k3m9q2x7pa", stored.name());

        HttpResponse<String> read = send("GET", PSKS + "/" + id, null);
        assertEquals(200, read.statusCode());
        assertValidAnswer(DOCUMENT_PSKS + "/" + id, Request.Method.GET, read);
        HttpResponse<String> listed = send("GET", PSKS, null);
        assertEquals(1, array(listed).size());
        assertValidAnswer(DOCUMENT_PSKS, Request.Method.GET, listed);
        assertEquals(0, array(send("GET", "/api/v1/networks/N_24329156/wireless/ssids/4/identityPsks", null)).size(),
                "another SSID holds its own identity PSKs");

        HttpResponse<String> deleted = send("DELETE", PSKS + "/" + id, null);
        assertEquals(204, deleted.statusCode(), deleted.body());
        assertEquals(404, send("GET", PSKS + "/" + id, null).statusCode());
        assertEquals(404, send("DELETE", PSKS + "/" + id, null).statusCode(), "a second delete finds nothing");
        assertEquals(List.of(id), meraki.deletedIds());
        assertEquals(List.of(), meraki.contractViolations());
    }

    @Test
    void aCreateWithoutTheGroupPolicyTheDocumentRequiresIsRefusedAndListed() {
        HttpResponse<String> refused = send("POST", PSKS, "{\"name\":\"wifi-k3m9q2x7pa\",\"passphrase\":\"abcdefgh2345mn\"}");

        assertEquals(400, refused.statusCode(), refused.body());
        assertTrue(object(refused).getJsonArray("errors").getString(0).contains("groupPolicyId"), refused.body());
        assertEquals(1, meraki.contractViolations().size(), meraki.contractViolations().toString());
        assertTrue(meraki.identityPsks().isEmpty());
    }

    @Test
    void anExpiryThatIsNoDateTimeAndABodyWithoutContentTypeBreakTheDocument() {
        HttpResponse<String> badDate = send("POST", PSKS,
                "{\"name\":\"wifi-a\",\"groupPolicyId\":\"101\",\"expiresAt\":\"14/03/2027\"}");
        HttpResponse<String> noType = http.send(http.request("POST", PSKS,
                        "{\"name\":\"wifi-b\",\"groupPolicyId\":\"101\"}")
                .header("Authorization", "Bearer " + MerakiEmulator.DEFAULT_API_KEY).build());

        assertEquals(400, badDate.statusCode(), badDate.body());
        assertEquals(415, noType.statusCode(), noType.body());
        assertEquals(2, meraki.contractViolations().size(), meraki.contractViolations().toString());
        assertTrue(meraki.identityPsks().isEmpty());
    }

    @Test
    void aCreateWithoutPassphraseGetsOneAndNoExpiryNeverExpires() {
        HttpResponse<String> created = send("POST", PSKS, "{\"name\":\"wifi-c\",\"groupPolicyId\":\"101\"}");

        assertEquals(201, created.statusCode(), created.body());
        JsonObject body = object(created);
        assertEquals(16, body.getString("passphrase").length());
        assertFalse(body.containsKey("expiresAt"));
    }

    @Test
    void theKeyIsCheckedInEitherHeaderTheDocumentNames() {
        HttpResponse<String> wrong = http.send(http.request("GET", PSKS, null)
                .header("Authorization", "Bearer not-the-key").build());
        HttpResponse<String> none = http.send(http.request("GET", PSKS, null).build());
        HttpResponse<String> merakiHeader = http.send(http.request("GET", PSKS, null)
                .header("X-Cisco-Meraki-API-Key", MerakiEmulator.DEFAULT_API_KEY).build());

        assertEquals(401, wrong.statusCode());
        assertEquals(401, none.statusCode());
        assertEquals(200, merakiHeader.statusCode(), merakiHeader.body());
    }

    @Test
    void theEleventhRequestInASecondIs429WithRetryAfterAndChangesNothing() {
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            answers.add(send("POST", PSKS, "{\"name\":\"wifi-" + i + "\",\"groupPolicyId\":\"101\"}"));
        }

        long accepted = answers.stream().filter(answer -> answer.statusCode() == 201).count();
        List<HttpResponse<String>> refused = answers.stream().filter(answer -> answer.statusCode() == 429).toList();
        // Eleven requests cannot spread over more than a second on loopback, unless the machine stalls.
        assertEquals(10, accepted, () -> answers.stream().map(HttpResponse::statusCode).toList().toString());
        assertEquals(1, refused.size());
        assertEquals("1", header(refused.get(0), "Retry-After"));
        assertEquals(10, meraki.identityPsks().size());
        assertEquals(1, meraki.refusals().size());
    }

    @Test
    void anSsidNumberOutsideZeroToFourteenIsNotFound() {
        assertEquals(404, send("GET", "/api/v1/networks/N_24329156/wireless/ssids/15/identityPsks", null).statusCode());
    }

    private static HttpResponse<String> send(String method, String path, String body) {
        HttpRequest.Builder request = http.request(method, path, body)
                .header("Authorization", "Bearer " + MerakiEmulator.DEFAULT_API_KEY);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build());
    }

    private static void assertValidAnswer(String documentPath, Request.Method method, HttpResponse<String> response) {
        ValidationReport report = OpenApiContract.load("Meraki", meraki.specification(), null).validator()
                .validateResponse(documentPath, method, SimpleResponse.Builder.status(response.statusCode())
                        .withContentType("application/json").withBody(response.body()).build());
        assertFalse(report.hasErrors(), () -> response.statusCode() + " answer breaks the document: " + report.getMessages());
    }
}
