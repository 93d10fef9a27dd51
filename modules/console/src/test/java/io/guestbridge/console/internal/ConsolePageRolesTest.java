package io.guestbridge.console.internal;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console's role × page matrix, written out: for every page and action, which of operator, compliance officer,
 * DPO and a person without a console role may use it. A page added to the console without its row here, or a role
 * given to a page that the row does not give, fails this test; every template the console renders belongs to a page.
 */
class ConsolePageRolesTest {

    private static final String O = "operator";
    private static final String C = "compliance-officer";
    private static final String D = "dpo";

    /** The matrix: the roles each page and action is for (a person without a console role is for none). */
    private static final Map<ConsolePage, Set<String>> MATRIX = new EnumMap<>(Map.ofEntries(
            Map.entry(ConsolePage.OVERVIEW, Set.of(O, C, D)),
            Map.entry(ConsolePage.REQUESTS, Set.of(O, C, D)),
            Map.entry(ConsolePage.REQUEST, Set.of(O, C, D)),
            Map.entry(ConsolePage.CERTIFICATE, Set.of(C, D)),
            Map.entry(ConsolePage.APPROVE, Set.of(D)),
            Map.entry(ConsolePage.REJECT, Set.of(D)),
            Map.entry(ConsolePage.EXTEND, Set.of(D)),
            Map.entry(ConsolePage.CONFIRM_STEP, Set.of(O, D)),
            Map.entry(ConsolePage.RESUME_STEP, Set.of(O, D)),
            Map.entry(ConsolePage.AUDIT, Set.of(C)),
            Map.entry(ConsolePage.AUDIT_VERIFY, Set.of(C)),
            Map.entry(ConsolePage.AUDIT_EXPORT, Set.of(C)),
            Map.entry(ConsolePage.GUESTS, Set.of(D)),
            Map.entry(ConsolePage.GUEST_LOOKUP, Set.of(D)),
            Map.entry(ConsolePage.DATA_MAP, Set.of(O, C, D)),
            Map.entry(ConsolePage.RECORD_OF_PROCESSING, Set.of(C, D)),
            Map.entry(ConsolePage.RECORD_OF_PROCESSING_DOCUMENT, Set.of(C, D)),
            Map.entry(ConsolePage.QUEUES, Set.of(O)),
            Map.entry(ConsolePage.QUARANTINE, Set.of(O)),
            Map.entry(ConsolePage.QUARANTINED, Set.of(O)),
            Map.entry(ConsolePage.QUARANTINE_REPLAY, Set.of(O)),
            Map.entry(ConsolePage.QUARANTINE_DISCARD, Set.of(O)),
            Map.entry(ConsolePage.CRM, Set.of(O)),
            Map.entry(ConsolePage.DEAD_LETTER_REPLAY, Set.of(O)),
            Map.entry(ConsolePage.DEAD_LETTER_DISCARD, Set.of(O)),
            Map.entry(ConsolePage.SOURCES, Set.of(O)),
            Map.entry(ConsolePage.SOURCE_REGISTER, Set.of(O)),
            Map.entry(ConsolePage.SOURCE_ROTATE, Set.of(O)),
            Map.entry(ConsolePage.SOURCE_REVOKE, Set.of(O))));

    /** The template each GET page renders (the message page renders refusals and is no page of its own). */
    private static final Map<String, ConsolePage> TEMPLATES = Map.ofEntries(Map.entry("overview", ConsolePage.OVERVIEW),
            Map.entry("requests", ConsolePage.REQUESTS), Map.entry("request", ConsolePage.REQUEST), Map.entry("audit", ConsolePage.AUDIT),
            Map.entry("guest", ConsolePage.GUESTS), Map.entry("queues", ConsolePage.QUEUES), Map.entry("quarantine", ConsolePage.QUARANTINE),
            Map.entry("quarantined", ConsolePage.QUARANTINED), Map.entry("sources", ConsolePage.SOURCES),
            Map.entry("source-secret", ConsolePage.SOURCE_REGISTER), Map.entry("crm", ConsolePage.CRM), Map.entry("data-map", ConsolePage.DATA_MAP),
            Map.entry("record-of-processing", ConsolePage.RECORD_OF_PROCESSING_DOCUMENT));

    @Test
    void everyPageHasItsRowAndEachRoleOpensExactlyTheRowsPages() {
        assertEquals(Set.of(ConsolePage.values()), MATRIX.keySet(), "every console page and action has a row in the matrix");
        for (ConsolePage page : ConsolePage.values()) {
            for (String role : List.of(O, C, D, "marketing")) {
                assertEquals(MATRIX.get(page).contains(role), page.allowedFor(Set.of(role)), page + " for " + role);
            }
            assertTrue(!page.allowedFor(Set.of()), page + " is for no one without a console role");
        }
    }

    @Test
    void everyPathReachesItsPageAndNoOther() {
        Map<String, ConsolePage> samples = Map.ofEntries(
                Map.entry("GET /", ConsolePage.OVERVIEW),
                Map.entry("GET /requests", ConsolePage.REQUESTS),
                Map.entry("GET /requests/5d1e0c7a-3b7e-4c55-9a43-1f0e2d9b7c11", ConsolePage.REQUEST),
                Map.entry("GET /requests/5d1e0c7a-3b7e-4c55-9a43-1f0e2d9b7c11/certificate", ConsolePage.CERTIFICATE),
                Map.entry("POST /requests/5d1e0c7a-3b7e-4c55-9a43-1f0e2d9b7c11/approve", ConsolePage.APPROVE),
                Map.entry("POST /requests/5d1e0c7a-3b7e-4c55-9a43-1f0e2d9b7c11/reject", ConsolePage.REJECT),
                Map.entry("POST /requests/5d1e0c7a-3b7e-4c55-9a43-1f0e2d9b7c11/extend", ConsolePage.EXTEND),
                Map.entry("POST /requests/5d1e0c7a-3b7e-4c55-9a43-1f0e2d9b7c11/steps/paper-forms/confirm", ConsolePage.CONFIRM_STEP),
                Map.entry("POST /requests/5d1e0c7a-3b7e-4c55-9a43-1f0e2d9b7c11/steps/crm.hubspot/resume", ConsolePage.RESUME_STEP),
                Map.entry("GET /audit", ConsolePage.AUDIT),
                Map.entry("POST /audit/verify", ConsolePage.AUDIT_VERIFY),
                Map.entry("POST /audit/export", ConsolePage.AUDIT_EXPORT),
                Map.entry("GET /guests", ConsolePage.GUESTS),
                Map.entry("POST /guests/lookup", ConsolePage.GUEST_LOOKUP),
                Map.entry("GET /data-map", ConsolePage.DATA_MAP),
                Map.entry("GET /data-map/record-of-processing.csv", ConsolePage.RECORD_OF_PROCESSING),
                Map.entry("GET /data-map/record-of-processing", ConsolePage.RECORD_OF_PROCESSING_DOCUMENT),
                Map.entry("GET /operations/queues", ConsolePage.QUEUES),
                Map.entry("GET /operations/quarantine", ConsolePage.QUARANTINE),
                Map.entry("GET /operations/quarantine/1042", ConsolePage.QUARANTINED),
                Map.entry("POST /operations/quarantine/1042/replay", ConsolePage.QUARANTINE_REPLAY),
                Map.entry("POST /operations/quarantine/1042/discard", ConsolePage.QUARANTINE_DISCARD),
                Map.entry("GET /operations/crm", ConsolePage.CRM),
                Map.entry("POST /operations/crm/hubspot-main/dead-letters/5012/replay", ConsolePage.DEAD_LETTER_REPLAY),
                Map.entry("POST /operations/crm/hubspot-main/dead-letters/5012/discard", ConsolePage.DEAD_LETTER_DISCARD),
                Map.entry("GET /operations/sources", ConsolePage.SOURCES),
                Map.entry("POST /operations/sources", ConsolePage.SOURCE_REGISTER),
                Map.entry("POST /operations/sources/0190c8a4-7f1e-7b3a-9c1d-3e5f7a9b1c2d/rotate", ConsolePage.SOURCE_ROTATE),
                Map.entry("POST /operations/sources/0190c8a4-7f1e-7b3a-9c1d-3e5f7a9b1c2d/revoke", ConsolePage.SOURCE_REVOKE));
        assertEquals(Set.of(ConsolePage.values()), new HashSet<>(samples.values()), "a sample path for every page");
        samples.forEach((request, page) -> assertEquals(page, ConsolePage.of(request.split(" ")[0], request.split(" ")[1]).orElse(null), request));
        for (String unknown : List.of("GET /requests/5d1e0c7a-3b7e-4c55-9a43-1f0e2d9b7c11/approve", "POST /requests", "GET /guests/lookup",
                "POST /guests", "GET /operations/quarantine/1042/replay", "GET /operations/quarantine/abc", "GET /audit/export", "GET /admin",
                "GET /requests/../audit")) {
            assertTrue(ConsolePage.of(unknown.split(" ")[0], unknown.split(" ")[1]).isEmpty(), unknown + " is no page");
        }
    }

    @Test
    void everyTemplateIsAPagesTemplate() throws IOException, URISyntaxException {
        Path templates = Path.of(getClass().getResource("/console/templates/layout.html").toURI()).getParent();
        try (var files = Files.list(templates)) {
            Set<String> pages = files.map(f -> f.getFileName().toString().replace(".html", "")).filter(n -> !n.equals("layout") && !n.equals("message"))
                    .collect(Collectors.toSet());
            assertEquals(pages, TEMPLATES.keySet(), "a template added for a page needs the page's row");
        }
    }
}
