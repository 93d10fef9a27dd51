package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.ProblemType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Map;

/**
 * The error page for errors the servlet container answers before JAX-RS sees the request: a bearer
 * token that fails verification (the MicroProfile JWT mechanism answers 401 itself), paths outside the
 * API, a request the connector rejects, an exception thrown outside JAX-RS. Mapped by the WAR's web.xml,
 * so every error that reaches the application is problem+json, and a 5xx is logged with its incident id.
 */
@WebServlet(name = "problem-error-page", urlPatterns = ContainerErrorServlet.PATH)
public class ContainerErrorServlet extends HttpServlet {

    public static final String PATH = "/.problem";

    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i ? i : HttpServletResponse.SC_NOT_FOUND;
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String path = uri == null ? request.getRequestURI() : uri.toString();
        ProblemType type = ProblemType.forStatus(status);
        String detail = switch (type) {
            case UNAUTHENTICATED -> "The bearer token is missing, expired, not signed by the configured identity provider "
                    + "or issued by another issuer; send a valid one (Authorization: Bearer <JWT>).";
            case FORBIDDEN -> "Your token does not carry a role that may use this resource.";
            case NOT_FOUND -> "There is nothing here. The API is under /api/v1; /openapi lists every endpoint.";
            case METHOD_NOT_ALLOWED -> "This path does not accept " + request.getMethod() + ".";
            case PAYLOAD_TOO_LARGE -> "The request body is larger than the server accepts.";
            default -> status >= 500 ? "The server could not handle the request." : "The request could not be handled as sent.";
        };
        response.setStatus(status);
        if (type == ProblemType.METHOD_NOT_ALLOWED && response.getHeader("Allow") == null) {
            // outside JAX-RS (which names a resource's methods itself) the application only serves reads
            response.setHeader("Allow", HttpHardeningFilter.READS_ALLOW);
        }
        String instance = path.length() > 200 ? path.substring(0, 200) : path;
        Throwable cause = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable t ? t : null;
        Problems.write(response, type, detail, instance, Map.of(), cause);
    }
}
