package io.guestbridge.bench;

import jakarta.annotation.Resource;
import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.context.RequestScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The two baselines of the intake benchmark, deployed only in the benchmark WAR:
 * {@code noop} reads the body and answers (the ceiling of the HTTP stack), {@code naive} does what a
 * straightforward implementation would: look the source up and insert the event in one JPA
 * transaction per request, commit, answer.
 */
@Path("bench")
@RequestScoped
@PermitAll
public class ComparisonEndpoints {

    @PersistenceContext(unitName = "bench")
    EntityManager em;

    @POST
    @Path("noop/{sourceKey}")
    public Response noop(@PathParam("sourceKey") String key, InputStream body) throws IOException {
        body.readAllBytes();
        return Response.ok("{\"status\":\"ignored\"}", "application/json").header("wifiWebhookListener", "1").build();
    }

    @POST
    @Path("naive/{sourceKey}")
    @Transactional
    public Response naive(@PathParam("sourceKey") String key, InputStream body) throws IOException {
        byte[] bytes = body.readAllBytes();
        String sourceId = (String) em.createNativeQuery("SELECT id FROM ing_source WHERE key_hash = ? AND state = 'ACTIVE'")
                .setParameter(1, sha256(key.getBytes(StandardCharsets.UTF_8))).getSingleResult();
        InboxRow row = new InboxRow(sourceId, Instant.now(), bytes, sha256(bytes));
        em.persist(row);
        em.flush();
        return Response.ok("{\"status\":\"stored\",\"id\":" + row.id() + "}", "application/json")
                .header("wifiWebhookListener", "1").build();
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
