package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.ProblemType;
import io.guestbridge.platform.api.Redaction;
import io.guestbridge.platform.api.TransientDatabaseException;
import jakarta.json.JsonException;
import jakarta.json.bind.JsonbException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Everything else. A body that could not be read as JSON is the caller's mistake (400); a transaction the
 * database refused as a conflict with a concurrent one (a deadlock, or on a Galera cluster a commit that lost
 * certification) is rolled back and worth sending again (503 with Retry-After); anything else is ours (500):
 * logged under an incident id, with the message redacted, and answered without stack trace, SQL or input.
 */
@Provider
public class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logger.getLogger(UnexpectedExceptionMapper.class.getName());

    @Context
    UriInfo uriInfo;

    @Override
    public Response toResponse(Throwable e) {
        return respond(e, uriInfo == null ? null : "/" + uriInfo.getPath());
    }

    /** The answer for an exception nobody anticipated, logged under an incident id. */
    static Response respond(Throwable e, String path) {
        if (isUnreadableBody(e)) {
            return Problems.response(ProblemType.MALFORMED_BODY,
                    "The body could not be read as the JSON this endpoint expects; check that it is well-formed UTF-8 JSON of the documented shape.",
                    path, Map.of());
        }
        if (TransientDatabaseException.isTransient(e)) {
            // rolled back, nothing kept: the same request a moment later will most likely go through
            return Problems.response(ProblemType.UNAVAILABLE, CONFLICT_DETAIL, path, Map.of("retryAfterSeconds", 1), e);
        }
        String incident = Problems.newIncident();
        LOG.log(Level.SEVERE, "incident " + incident + " on " + Redaction.redact(String.valueOf(path)) + ": " + e.getClass().getName() + ": "
                + Redaction.redact(e.getMessage()), e);
        return Problems.response(ProblemType.INTERNAL,
                "The server failed to handle this request. Quote incident " + incident + " to the operator.",
                path, Map.of("incident", incident));
    }

    /** What a caller is told when the database refused its transaction as a conflict with a concurrent one. */
    static final String CONFLICT_DETAIL = "The database refused this change because another one touched the same records at the same moment; "
            + "it was rolled back and nothing was saved. Send the same request again after the seconds in Retry-After.";

    private static boolean isUnreadableBody(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JsonbException || t instanceof JsonException || t instanceof ProcessingException
                    || t.getClass().getName().contains("JsonParsingException")) {
                return true;
            }
        }
        return false;
    }
}
