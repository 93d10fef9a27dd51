package io.guestbridge.app.it;

import io.guestbridge.client.ApiClient;
import io.guestbridge.client.ApiException;
import io.guestbridge.client.api.AccessApi;
import io.guestbridge.client.api.AuditTrailApi;
import io.guestbridge.client.api.ConsentApi;
import io.guestbridge.client.api.ConsentWordingsApi;
import io.guestbridge.client.api.CrmEventsApi;
import io.guestbridge.client.api.CrmSyncApi;
import io.guestbridge.client.api.DataMapApi;
import io.guestbridge.client.api.GuestsApi;
import io.guestbridge.client.api.IngestionImportsApi;
import io.guestbridge.client.api.IngestionPurpleApi;
import io.guestbridge.client.api.IngestionQuarantineApi;
import io.guestbridge.client.api.IngestionSignedWebhooksApi;
import io.guestbridge.client.api.PrivacyRequestsApi;
import io.guestbridge.client.api.RetentionApi;
import io.guestbridge.client.api.SourcesApi;
import io.guestbridge.client.api.SponsorsApi;
import io.guestbridge.client.api.SubjectPortalApi;
import io.guestbridge.client.api.VenuesApi;
import io.guestbridge.client.api.WiFiOnboardingApi;
import io.guestbridge.client.api.WiFiOnboardingCredentialsApi;
import io.guestbridge.client.api.WiFiOnboardingDeliveriesApi;
import io.guestbridge.client.api.WiFiOnboardingRadiusApi;
import io.guestbridge.client.api.WiFiOnboardingTemplatesApi;
import io.guestbridge.client.api.WorkQueuesApi;
import io.guestbridge.client.model.CredentialKind;
import io.guestbridge.client.model.EmailQuery;
import io.guestbridge.client.model.NewSource;
import io.guestbridge.client.model.PrivacyExtension;
import io.guestbridge.client.model.PrivacyIntake;
import io.guestbridge.client.model.PrivacyReason;
import io.guestbridge.client.model.PrivacyRequest;
import io.guestbridge.client.model.Publication;
import io.guestbridge.client.model.Rectification;
import io.guestbridge.client.model.RegisteredSource;
import io.guestbridge.client.model.SponsorAgreementEnd;
import io.guestbridge.client.model.SponsorRegistration;
import io.guestbridge.client.model.StepConfirmation;
import io.guestbridge.client.model.SubjectIntake;
import io.guestbridge.client.model.TokenRevocation;
import io.guestbridge.client.model.VenuePatch;
import io.guestbridge.client.model.VerificationCode;
import io.guestbridge.client.model.WifiDevice;
import io.guestbridge.client.model.WifiDeliveryTemplate;
import io.guestbridge.client.model.WifiNetwork;
import io.guestbridge.client.model.Withdrawal;
import io.guestbridge.platform.api.WebhookSignatures;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every operation of openapi/openapi.yaml, called through the client openapi-generator makes from it
 * (modules/api-client), as an outside integrator would: with valid inputs where the operation can
 * succeed here, otherwise with inputs that must earn an answer the operation documents. A call whose
 * answer the generated code cannot read, or whose error status the operation does not document, fails;
 * so does an operation of the document that no call exercised.
 */
final class GeneratedClientCalls {

    private final URI base;
    private final Map<String, Map<String, Object>> operations;
    private final Set<String> called = new TreeSet<>();
    private final List<String> failures = new ArrayList<>();

    GeneratedClientCalls(Deployed app) {
        this.base = app.uri("/");
        this.operations = operations();
    }

    /** Operation id → its responses, from the committed document. */
    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> operations() {
        try {
            Map<String, Object> document = new Yaml().load(Files.readString(Path.of(System.getProperty("guestbridge.openapi.file")), StandardCharsets.UTF_8));
            Map<String, Map<String, Object>> byId = new LinkedHashMap<>();
            ((Map<String, Map<String, Object>>) document.get("paths")).forEach((path, item) -> item.forEach((method, operation) -> {
                if (operation instanceof Map<?, ?> op && op.get("operationId") != null) {
                    byId.put((String) op.get("operationId"), (Map<String, Object>) op.get("responses"));
                }
            }));
            return byId;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ApiClient as(String role) {
        ApiClient client = new ApiClient();
        client.updateBaseUri(base.toString().replaceAll("/$", ""));
        // the generated client ignores what its models do not name; here a property the document does not name is a failure
        client.getObjectMapper().configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        if (role != null) {
            String token = Deployed.token(role);
            client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token));
        }
        return client;
    }

    @FunctionalInterface
    interface Call<T> {
        T run() throws ApiException;
    }

    /** Calls an operation expecting success; its answer must be readable by the generated code. */
    private <T> T succeed(String operationId, Call<T> call) {
        called.add(operationId);
        try {
            T result = call.run();
            return result;
        } catch (ApiException e) {
            failures.add(operationId + " answered " + e.getCode() + ": " + e.getResponseBody());
            return null;
        }
    }

    /** Calls an operation expecting one of the given error statuses, each of which the document must list for it. */
    private void refused(String operationId, Call<?> call, int... statuses) {
        called.add(operationId);
        try {
            call.run();
            failures.add(operationId + " succeeded where an error (" + java.util.Arrays.toString(statuses) + ") was expected");
        } catch (ApiException e) {
            boolean expected = java.util.Arrays.stream(statuses).anyMatch(s -> s == e.getCode());
            if (!expected) {
                failures.add(operationId + " answered " + e.getCode() + " instead of " + java.util.Arrays.toString(statuses) + ": " + e.getResponseBody());
            } else if (!operations.getOrDefault(operationId, Map.of()).containsKey(Integer.toString(e.getCode()))) {
                failures.add(operationId + " answered " + e.getCode() + ", which its document entry does not list");
            }
        }
    }

    /** Calls every operation; returns how many were called. */
    int callEveryOperation() throws Exception {
        ApiClient operator = as("operator");
        ApiClient dpo = as("dpo");
        ApiClient officer = as("compliance-officer");
        ApiClient integration = as("integration");
        ApiClient anonymous = as(null);
        String run = UUID.randomUUID().toString().substring(0, 8);

        // sources and intake
        SourcesApi sources = new SourcesApi(operator);
        RegisteredSource purple = succeed("registerSource", () -> sources.registerSource(new NewSource()
                .kind("PURPLE").name("generated client " + run).venueRef("gc-" + run).timeZone("Europe/London")));
        assertNotNull(purple, String.join("\n", failures));
        RegisteredSource generic = sources.registerSource(new NewSource().kind("GENERIC").name("generated client csv " + run).timeZone("Europe/London"));
        RegisteredSource booking = sources.registerSource(new NewSource().kind("BOOKING").name("generated client pms " + run).timeZone("Europe/London"));
        succeed("listSources", sources::listSources);
        succeed("rotateSourceSecret", () -> sources.rotateSourceSecret(booking.getSource().getId()));

        IngestionPurpleApi purpleApi = new IngestionPurpleApi(anonymous);
        String email = "generated-" + run + "@example.com";
        Map<String, Object> login = Map.of(
                "user", Map.of("email", email, "firstName", "Gen", "lastName", "Client"),
                "venue", Map.of("id", 4242, "name", "Generated Client Hotel"),
                "session", Map.of("authenticationTime", Instant.now().toString()),
                "client", Map.of("mac", "00-0A-0B-0C-0D-" + String.format("%02X", Math.abs(run.hashCode()) % 256)));
        succeed("checkPurpleWebhook", () -> purpleApi.checkPurpleWebhook(purple.getKey()));
        succeed("probePurpleWebhook", () -> {
            purpleApi.probePurpleWebhook(purple.getKey());
            return null;
        });
        succeed("receivePurpleWebhook", () -> purpleApi.receivePurpleWebhook(purple.getKey(), login));

        IngestionSignedWebhooksApi signed = new IngestionSignedWebhooksApi(anonymous);
        Map<String, Object> event = Map.of("email", "generated-event-" + run + "@example.com", "connect_time", Instant.now().toString(),
                "venue_name", "Generated Client Hotel");
        byte[] eventBytes = anonymous.getObjectMapper().writeValueAsBytes(event);
        long now = Instant.now().getEpochSecond();
        succeed("receiveGuestEvents", () -> signed.receiveGuestEvents("msg_gc_" + run, Long.toString(now),
                WebhookSignatures.sign(generic.getSigningSecret(), "msg_gc_" + run, now, eventBytes), event));
        refused("receiveBookingEvent", () -> signed.receiveBookingEvent(booking.getKey(), "msg_gcb_" + run, Long.toString(now),
                "v1,bm90IGEgc2lnbmF0dXJl", Map.of("type", "reservation.confirmed")), 401);

        IngestionImportsApi imports = new IngestionImportsApi(operator);
        refused("importCsv", () -> imports.importCsv("no-such-source-" + run, "Email\n" + email + "\n", null, null), 404);

        // the guest the Purple login made, once processed
        GuestsApi guests = new GuestsApi(dpo);
        String guestId = waitFor(() -> {
            try {
                return guests.findGuestByEmail(new EmailQuery().email(email)).getGuest();
            } catch (ApiException notYet) {
                return null;
            }
        });
        called.add("findGuestByEmail");
        assertNotNull(guestId, "the Purple login became a guest");
        refused("findGuestByEmail", () -> guests.findGuestByEmail(new EmailQuery().email("nobody-" + run + "@example.com")), 404);
        succeed("getGuest", () -> guests.getGuest(guestId));
        succeed("listGuestVisits", () -> guests.listGuestVisits(guestId, "10"));
        succeed("rectifyGuest", () -> guests.rectifyGuest(guestId, new Rectification().field("LAST_NAME").value("Clientson").requestedBySubject(false)));
        succeed("listGuestChanges", () -> new GuestsApi(integration).listGuestChanges("0", "20"));

        ConsentApi consent = new ConsentApi(dpo);
        succeed("getConsentEvidence", () -> new ConsentApi(officer).getConsentEvidence(guestId));
        succeed("withdrawConsent", () -> consent.withdrawConsent(guestId, new Withdrawal().purpose("marketing_email").channel("generated client")));

        ConsentWordingsApi wordings = new ConsentWordingsApi(dpo);
        Publication publication = new Publication().id("gc-" + run).version("1").purpose("marketing_email").language("en").text("Offers by email, " + run);
        succeed("publishWording", () -> wordings.publishWording(publication));
        refused("publishWording", () -> wordings.publishWording(publication.text("another text")), 409);
        succeed("listWordings", wordings::listWordings);
        succeed("getWording", () -> wordings.getWording("gc-" + run, "1"));

        VenuesApi venues = new VenuesApi(operator);
        var venueList = succeed("listVenues", venues::listVenues);
        assertFalse(venueList == null || venueList.isEmpty(), "the Purple login's venue is listed");
        succeed("updateVenue", () -> venues.updateVenue(venueList.get(0).getId(), new VenuePatch().timeZone("Europe/London")));

        // WiFi onboarding: a venue's network for the booking source registered above; FreeRADIUS's question without its secret
        WiFiOnboardingApi wifi = new WiFiOnboardingApi(operator);
        succeed("configureWifiNetwork", () -> wifi.configureWifiNetwork(venueList.get(0).getId(), new WifiNetwork()
                .bookingSourceId(booking.getSource().getId()).kind(CredentialKind.RADIUS).ssid("Generated Client Guests " + run)));
        succeed("listWifiNetworks", wifi::listWifiNetworks);
        refused("authenticateRadiusAccount", () -> new WiFiOnboardingRadiusApi(anonymous).authenticateRadiusAccount(Map.of()), 404);
        WiFiOnboardingCredentialsApi credentials = new WiFiOnboardingCredentialsApi(operator);
        var issued = succeed("listWifiCredentials", () -> credentials.listWifiCredentials(venueList.get(0).getId(), null, "5"));
        assertTrue(issued != null, "a venue's credentials are listed, none or some");
        String noCredential = java.util.UUID.randomUUID().toString();
        refused("revokeWifiCredential", () -> { credentials.revokeWifiCredential(noCredential); return null; }, 404);
        refused("reissueWifiCredential", () -> { credentials.reissueWifiCredential(noCredential); return null; }, 404);
        refused("bindWifiDevice", () -> { credentials.bindWifiDevice(noCredential, new WifiDevice().mac("3c:22:fb:12:34:56")); return null; }, 404);
        refused("unbindWifiDevice", () -> { credentials.unbindWifiDevice(noCredential, new WifiDevice().mac("3c:22:fb:12:34:56")); return null; }, 404);
        WiFiOnboardingDeliveriesApi deliveries = new WiFiOnboardingDeliveriesApi(operator);
        var backlog = succeed("getWifiDeliveryBacklog", deliveries::getWifiDeliveryBacklog);
        assertTrue(backlog != null && !backlog.isEmpty(), "the delivery backlog names its channels");
        succeed("listWifiDeliveryDeadLetters", () -> deliveries.listWifiDeliveryDeadLetters("email", null, "5"));
        refused("replayWifiDeliveryDeadLetter", () -> { deliveries.replayWifiDeliveryDeadLetter("999999999", "email"); return null; }, 404);
        WiFiOnboardingTemplatesApi templates = new WiFiOnboardingTemplatesApi(operator);
        succeed("setWifiDeliveryTemplate", () -> templates.setWifiDeliveryTemplate(venueList.get(0).getId(), "sms", "en",
                new WifiDeliveryTemplate().body("{venue}: WiFi {network}, user {username}, password {passphrase}, until {validUntil}")));
        var worded = succeed("listWifiDeliveryTemplates", () -> templates.listWifiDeliveryTemplates(venueList.get(0).getId()));
        assertTrue(worded != null && worded.size() == 1, "the venue's own words are listed");
        succeed("removeWifiDeliveryTemplate", () -> { templates.removeWifiDeliveryTemplate(venueList.get(0).getId(), "sms", "en"); return null; });
        succeed("getRetention", () -> new RetentionApi(dpo).getRetention());

        // audit, queues, CRM
        AuditTrailApi audit = new AuditTrailApi(officer);
        var page = succeed("listAuditRecords", () -> audit.listAuditRecords(null, null, null, null, null, null, null, 5));
        assertTrue(page != null && !page.getRecords().isEmpty(), "the audit trail has records");
        var twoActions = succeed("listAuditRecords", () -> audit.listAuditRecords(null, null,
                List.of("CONSOLE_SIGNED_IN", "SOURCE_REGISTERED"), null, null, null, null, 5));
        assertTrue(twoActions != null, "several values of one filter field are one query");
        succeed("getAuditRecord", () -> audit.getAuditRecord(page.getRecords().get(0).getSequence().toString()));
        succeed("verifyAuditTrail", audit::verifyAuditTrail);
        String checkpoint = succeed("getAuditCheckpoint", audit::getAuditCheckpoint);
        succeed("verifyAuditTrailAgainstCheckpoint", () -> audit.verifyAuditTrailAgainstCheckpoint(checkpoint));
        succeed("listAuditCheckpoints", () -> audit.listAuditCheckpoints(null, 10));
        succeed("getAuditInclusionProof", () -> audit.getAuditInclusionProof("1", null));
        succeed("getAuditConsistencyProof", () -> audit.getAuditConsistencyProof("1", "1"));
        succeed("listQueues", () -> new WorkQueuesApi(operator).listQueues());

        CrmSyncApi crm = new CrmSyncApi(operator);
        succeed("listCrmConnectors", crm::listCrmConnectors);
        // all four: the triggers every connector has unless told otherwise, so the other tests' syncs are unchanged
        succeed("changeCrmConnectorTriggers", () -> crm.changeCrmConnectorTriggers("hubspot-main",
                new io.guestbridge.client.model.CrmConnectorTriggers().triggers(List.of("FIRST_LOGIN", "RETURN_VISIT", "STAY", "CONSENT_CHANGE"))));
        refused("changeCrmConnectorTriggers", () -> crm.changeCrmConnectorTriggers("hubspot-main",
                new io.guestbridge.client.model.CrmConnectorTriggers().triggers(List.of("CHECKOUT"))), 400);
        succeed("listCrmDeadLetters", () -> crm.listCrmDeadLetters("hubspot-main", null, "10"));
        refused("replayCrmDeadLetter", () -> crm.replayCrmDeadLetter("999999999", "hubspot-main"), 404);
        refused("discardCrmDeadLetter", () -> crm.discardCrmDeadLetter("999999999", "hubspot-main"), 404);
        succeed("receiveCrmEvents", () -> new CrmEventsApi(integration).receiveCrmEvents("hubspot-main", Map.of("events", List.of(Map.of(
                "eventId", "gc-" + run, "email", email, "changedAt", Instant.now().minusSeconds(60).toString(),
                "properties", Map.of("phone", "+44 7911 123456")))), null, null));

        // Mailchimp's URL check and a delivery of a kind that withdraws nothing (the generated client sends no form body)
        CrmEventsApi mailchimp = new CrmEventsApi(anonymous);
        succeed("checkMailchimpWebhook", () -> {
            mailchimp.checkMailchimpWebhook("mailchimp-main", "it-mailchimp-webhook-secret");
            return null;
        });
        ApiClient formPoster = as(null);
        formPoster.setRequestInterceptor(request -> request.header("Content-Type", "application/x-www-form-urlencoded"));
        succeed("receiveMailchimpEvents", () -> new CrmEventsApi(formPoster).receiveMailchimpEvents("mailchimp-main", "it-mailchimp-webhook-secret"));

        IngestionQuarantineApi quarantine = new IngestionQuarantineApi(operator);
        succeed("listQuarantine", () -> quarantine.listQuarantine("0", "10"));
        refused("inspectQuarantined", () -> quarantine.inspectQuarantined("999999999"), 404);
        refused("replayQuarantined", () -> quarantine.replayQuarantined("999999999", Map.of("email", "corrected@example.com")), 404);
        refused("discardQuarantined", () -> quarantine.discardQuarantined("999999999",
                new io.guestbridge.client.model.Discard().reason("generated client check")), 404);

        // privacy requests: each action on a request in the state where it applies
        PrivacyRequestsApi privacy = new PrivacyRequestsApi(dpo);
        PrivacyRequest access = succeed("receivePrivacyRequest", () -> privacy.receivePrivacyRequest(new PrivacyIntake()
                .type(PrivacyIntake.TypeEnum.ACCESS).email(email).verifiedBy("generated client: identity checked").regime(PrivacyIntake.RegimeEnum.GDPR)));
        assertNotNull(access, String.join("\n", failures));
        succeed("listPrivacyRequests", () -> privacy.listPrivacyRequests("open", "GDPR", 50));
        succeed("getPrivacyRequest", () -> privacy.getPrivacyRequest(access.getId()));
        refused("issuePrivacyExportLink", () -> privacy.issuePrivacyExportLink("no-such-request-" + run), 404);
        PrivacyRequest rectification = privacy.receivePrivacyRequest(new PrivacyIntake().type(PrivacyIntake.TypeEnum.RECTIFICATION)
                .email(email).verifiedBy("generated client: identity checked").corrections(Map.of("lastName", "Clientson")));
        succeed("approvePrivacyRequest", () -> privacy.approvePrivacyRequest(rectification.getId()));
        PrivacyRequest toReject = privacy.receivePrivacyRequest(new PrivacyIntake().type(PrivacyIntake.TypeEnum.RECTIFICATION)
                .email("other-" + run + "@example.com").verifiedBy("generated client: identity checked").corrections(Map.of("lastName", "X")));
        // a request awaiting approval stays open, where an access request may already be complete
        succeed("extendPrivacyRequest", () -> privacy.extendPrivacyRequest(toReject.getId(),
                new PrivacyExtension().months(1).reason("the archives of 14 venues are searched")));
        succeed("rejectPrivacyRequest", () -> privacy.rejectPrivacyRequest(toReject.getId(), new PrivacyReason().reason("manifestly unfounded")));
        refused("cancelPrivacyRequest", () -> privacy.cancelPrivacyRequest(toReject.getId(), new PrivacyReason().reason("the subject withdrew it")), 409);
        refused("getPrivacyRequestCertificate", () -> privacy.getPrivacyRequestCertificate(toReject.getId()), 409); // rejected: nothing to certify
        PrivacyRequest erasure = privacy.receivePrivacyRequest(new PrivacyIntake().type(PrivacyIntake.TypeEnum.ERASURE)
                .email("erase-" + run + "@example.com").verifiedBy("generated client: identity checked"));
        PrivacyRequest awaitingOperator = waitFor(() -> {
            try {
                PrivacyRequest r = privacy.getPrivacyRequest(erasure.getId());
                return r.getSteps().stream().anyMatch(s -> "paper-forms".equals(s.getSystem()) && "AWAITING_OPERATOR".equals(s.getState())) ? r : null;
            } catch (ApiException e) {
                return null;
            }
        });
        assertNotNull(awaitingOperator, "the erasure's manual step waits for an operator");
        succeed("confirmPrivacyStep", () -> privacy.confirmPrivacyStep(erasure.getId(), "paper-forms",
                new StepConfirmation().evidence("cards shredded, certificate 4471")));
        refused("resumePrivacyStep", () -> {
            privacy.resumePrivacyStep(erasure.getId(), "paper-forms");
            return null;
        }, 409);
        PrivacyRequest toCancel = privacy.receivePrivacyRequest(new PrivacyIntake().type(PrivacyIntake.TypeEnum.OBJECTION)
                .email("cancel-" + run + "@example.com"));
        succeed("cancelPrivacyRequest", () -> privacy.cancelPrivacyRequest(toCancel.getId(), new PrivacyReason().reason("the subject withdrew it")));

        DataMapApi dataMap = new DataMapApi(dpo);
        succeed("getDataMap", dataMap::getDataMap);
        succeed("getRecordOfProcessing", () -> {
            dataMap.getRecordOfProcessing();
            return null;
        });

        // sponsors: registered, listed, read, exported (no guest consented to it: an empty export), renewed, ended
        SponsorsApi sponsorsApi = new SponsorsApi(dpo);
        String sponsorId = "gc-" + run;
        succeed("registerSponsor", () -> sponsorsApi.registerSponsor(new SponsorRegistration().id(sponsorId).name("Generated client " + run)
                .agreementRef("DSA-GC-" + run).purpose("contract test").sharedFields(List.of("EMAIL"))
                .startsAt(java.time.Instant.now().minusSeconds(60).toString())));
        succeed("listSponsors", () -> new SponsorsApi(officer).listSponsors());
        succeed("getSponsor", () -> sponsorsApi.getSponsor(sponsorId));
        succeed("exportSponsorData", () -> sponsorsApi.exportSponsorData(sponsorId));
        succeed("changeSponsorAgreementEnd", () -> sponsorsApi.changeSponsorAgreementEnd(sponsorId,
                new SponsorAgreementEnd().endsAt(java.time.Instant.now().plusSeconds(3600).toString())));
        succeed("changeSponsorContact", () -> sponsorsApi.changeSponsorContact(sponsorId,
                new io.guestbridge.client.model.SponsorContact().contactEmail("privacy-" + run + "@example.com")));
        succeed("endSponsorAgreement", () -> sponsorsApi.endSponsorAgreement(sponsorId));

        // the public portal
        SubjectPortalApi portal = new SubjectPortalApi(anonymous);
        var accepted = succeed("submitSubjectRequest", () -> portal.submitSubjectRequest(new SubjectIntake()
                .type(SubjectIntake.TypeEnum.ACCESS).email("portal-" + run + "@example.com")));
        assertNotNull(accepted, String.join("\n", failures));
        succeed("getSubjectRequest", () -> portal.getSubjectRequest(accepted.getRequestId()));
        refused("verifySubjectRequest", () -> portal.verifySubjectRequest(accepted.getRequestId(), new VerificationCode().code("00000000")), 400, 503);
        refused("downloadSubjectExport", () -> portal.downloadSubjectExport("unknown-token-" + run), 404);

        succeed("revokeSource", () -> sources.revokeSource(booking.getSource().getId()));

        // access: a person who never had a token can still be revoked (the list is checked on every request)
        succeed("revokeTokens", () -> new AccessApi(operator).revokeTokens(new TokenRevocation().subject("generated-client-" + run).reason("contract test")));

        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertEquals(operations.keySet().stream().sorted().toList(), List.copyOf(called),
                "every operation of openapi/openapi.yaml is called through the generated client");
        return called.size();
    }

    /** Polls for at most 30 seconds. */
    private static <T> T waitFor(Supplier<T> probe) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            Thread.sleep(250);
        }
        return null;
    }
}
