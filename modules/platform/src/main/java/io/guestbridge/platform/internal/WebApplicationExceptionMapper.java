package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.ProblemException;
import io.guestbridge.platform.api.ProblemType;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.util.Map;

/**
 * Errors the JAX-RS runtime raises itself (unknown path, wrong method, wrong content type, failed
 * authorisation…), answered as problem+json with a detail a person can act on. The exception's own
 * message is not used: it can echo input.
 */
@Provider
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

    @Context
    UriInfo uriInfo;

    @Context
    Request request;

    @Context
    HttpHeaders headers;

    @Override
    public Response toResponse(WebApplicationException e) {
        if (e.getCause() instanceof ProblemException problem) {
            // a parameter converter refused a value (TypedParameters): JAX-RS wrapped its problem in a bare 404 or 400
            return Problems.response(problem.type(), problem.detail(), uriInfo == null ? "" : "/" + uriInfo.getPath(), problem.extensions());
        }
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        ProblemType type = ProblemType.forStatus(status);
        String path = uriInfo == null ? "" : "/" + uriInfo.getPath();
        String detail = switch (type) {
            case NOT_FOUND -> "There is nothing at " + path + ". The OpenAPI document at /openapi lists every endpoint.";
            case METHOD_NOT_ALLOWED -> "This path does not accept " + (request == null ? "this method" : request.getMethod())
                    + allowed(e) + ".";
            case UNSUPPORTED_MEDIA_TYPE -> "The content type " + contentType() + " is not accepted here"
                    + (e instanceof NotSupportedException ? "" : "") + "; see the OpenAPI document for the accepted types.";
            case NOT_ACCEPTABLE -> "This endpoint cannot answer in the media types named by the Accept header.";
            case UNAUTHENTICATED -> "Send a bearer token (Authorization: Bearer <JWT>) issued by the configured identity provider.";
            case FORBIDDEN -> "Your token does not carry a role that may use this endpoint; the OpenAPI document names the roles.";
            case PAYLOAD_TOO_LARGE -> "The request body is larger than this endpoint accepts.";
            default -> status >= 500 ? "The server could not handle the request." : "The request could not be handled as sent.";
        };
        Response problem = Problems.response(type, detail, path, Map.of(), status >= 500 ? e : null);
        if (type == ProblemType.METHOD_NOT_ALLOWED && e.getResponse() != null && !e.getResponse().getAllowedMethods().isEmpty()) {
            // RFC 9110: a 405 names what the resource does accept
            return Response.fromResponse(problem).allow(e.getResponse().getAllowedMethods()).build();
        }
        return problem;
    }

    private String contentType() {
        if (headers == null || headers.getMediaType() == null) {
            return "(none)";
        }
        String value = headers.getMediaType().toString();
        return value.length() > 80 ? value.substring(0, 80) + "…" : value;
    }

    private static String allowed(WebApplicationException e) {
        if (e instanceof NotAllowedException && e.getResponse() != null && !e.getResponse().getAllowedMethods().isEmpty()) {
            return "; it accepts " + String.join(", ", e.getResponse().getAllowedMethods());
        }
        return "";
    }
}
