package io.guestbridge.app.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URL;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Regression tests for the classes of flaw found in this field's open-source peers (SECURITY.md maps
 * each class to its test). Each test attacks the real server the way the flaw was exploited elsewhere.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SecurityIT {

    private static final String READ = "/api/v1/audit/records?limit=1";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployed.war();
    }

    @ArquillianResource
    URL url;

    @Test
    void everyWayATokenCanBeWrongIsRefused() {
        Deployed app = new Deployed(url);
        Instant now = Instant.now();
        String role = "compliance-officer";
        String valid = ForgedTokens.signed(ForgedTokens.validClaims(role, now));
        assertEquals(200, app.get(READ, valid).statusCode(), "the control: a correct token is accepted");

        Map<String, String> wrong = new LinkedHashMap<>();
        String claims = ForgedTokens.validClaims(role, now);
        wrong.put("not valid before an hour from now (nbf)", ForgedTokens.signed(claims.replaceFirst("\\{",
                "{\"nbf\":" + now.plusSeconds(3600).getEpochSecond() + ",")));
        wrong.put("expired", ForgedTokens.signed(claims.replaceFirst("\"exp\":\\d+", "\"exp\":" + now.minusSeconds(600).getEpochSecond())));
        wrong.put("issued by another issuer", ForgedTokens.signed(claims.replace("https://guestbridge.local/dev-issuer", "https://evil.example/issuer")));
        wrong.put("for another audience", ForgedTokens.signed(claims.replace("\"aud\":\"guestbridge\"", "\"aud\":\"another-service\"")));
        wrong.put("without an audience", ForgedTokens.signed(claims.replace("\"aud\":\"guestbridge\",", "")));
        wrong.put("alg none", ForgedTokens.unsigned(claims));
        wrong.put("HS256 keyed with the public key", ForgedTokens.hs256WithThePublicKey(claims));
        wrong.put("payload edited after signing", ForgedTokens.withEditedPayload(valid, claims.replace(role, "dpo")));
        wrong.put("signed by another key", ForgedTokens.signedByAnotherKey(claims));
        List<String> accepted = new ArrayList<>();
        for (Map.Entry<String, String> token : wrong.entrySet()) {
            HttpResponse<String> answer = app.get(READ, token.getValue());
            if (answer.statusCode() != 401 || !answer.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")) {
                accepted.add(token.getKey() + " → " + answer.statusCode());
            }
        }
        assertTrue(accepted.isEmpty(), "tokens that must be refused with a 401 problem: " + accepted);
    }
}
