package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.ProblemType;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletConnection;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The first thing every request meets in the application, and the headers every answer carries.
 *
 * <p><b>Framing.</b> Payara's HTTP parser (Grizzly) frames no body on TRACE or CONNECT: it ignores their
 * Content-Length and Transfer-Encoding and parses the body as the next request on the connection. A proxy in
 * front frames it as the body of one request, so the two disagree on where requests start: a request
 * smuggling opening. The listener therefore hands TRACE to the application (its own refusal answers without
 * closing, see deploy/payara/server-settings.asadmin), and this filter answers TRACE, CONNECT and a body on a
 * method that takes none with one problem and {@code Connection: close}. The parser still hands over what it
 * had already read after such a request, before the connection closes; RFC 9112 (9.6) says a server that
 * announced the close must not process it, so the connection is remembered and every later request on it is
 * refused here, unserved. (The listener frames bodies on GET, HEAD and DELETE once
 * allow-payload-for-undefined-http-methods is on, so that refusal is also a problem instead of the parser's
 * empty 400.)
 *
 * <p><b>Methods.</b> Under the JAX-RS application ({@code /api/}) JAX-RS answers a method a resource does
 * not take with 405 and the resource's {@code Allow}; the web pages ({@code /privacy/}, {@code /console/}) post their forms to their
 * own servlet, which answers what it does not take. Elsewhere the application serves only reads (health,
 * metrics, the OpenAPI document, error pages), so anything but GET, HEAD and OPTIONS is a 405 here with that
 * {@code Allow}, and OPTIONS is answered here: the container's own answer would offer TRACE.
 *
 * <p><b>Headers.</b> {@code X-Content-Type-Options: nosniff} on everything (a problem or a JSON document
 * must never be sniffed into HTML), {@code Cache-Control: no-store} on everything (most answers carry
 * personal data; none is worth a shared cache keeping). Also on error dispatches, which the container may
 * start from a fresh response. HSTS comes from the HTTPS listener, so it is on every answer over TLS and
 * only there.
 */
@WebFilter(filterName = "http-hardening", urlPatterns = "/*", asyncSupported = true,
        dispatcherTypes = {DispatcherType.REQUEST, DispatcherType.ERROR})
public class HttpHardeningFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    /** The methods whose body the HTTP parser does not frame: whatever follows them is not theirs. */
    private static final Set<String> UNFRAMED = Set.of("TRACE", "CONNECT");
    /** Methods that take no body here (RFC 9110 gives a body on them no meaning). */
    private static final Set<String> BODYLESS = Set.of("GET", "HEAD", "DELETE", "TRACE", "CONNECT");
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");
    static final String READS_ALLOW = "GET, HEAD, OPTIONS";
    private static final String API_PREFIX = "/api/";
    /** The web pages, which post their forms to their own servlets. */
    private static final List<String> PAGES_PREFIXES = List.of("/privacy/", "/console/");

    private final ClosingConnections closing = new ClosingConnections();

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        securityHeaders(response);
        if (request.getDispatcherType() != DispatcherType.REQUEST) {
            chain.doFilter(request, response);
            return;
        }
        String method = request.getMethod();
        String path = path(request);
        String connection = ClosingConnections.id(request);
        if (closing.contains(connection)) {
            closingRefusal(response, connection, ProblemType.VALIDATION, "This request came on a connection the server "
                    + "had closed with its previous answer; it was not processed. Send it again on a new connection.", path, null);
            return;
        }
        if (BODYLESS.contains(method) && hasBody(request)) {
            closingRefusal(response, connection, ProblemType.VALIDATION, method + " requests carry no body here; send it "
                    + "without one (Content-Length and Transfer-Encoding are refused on " + method + ").", path, null);
            return;
        }
        boolean api = path.startsWith(API_PREFIX);
        if (UNFRAMED.contains(method)) {
            if (!api) {
                closingRefusal(response, connection, ProblemType.METHOD_NOT_ALLOWED, "This path does not accept " + method
                        + "; it accepts " + READS_ALLOW + ".", path, READS_ALLOW);
                return;
            }
            // JAX-RS refuses it (405 with the resource's Allow); the connection must not outlive it
            closing.add(connection);
            response.setHeader("Connection", "close");
        }
        if (api) {
            chain.doFilter(request, response);
            return;
        }
        if (method.equals("OPTIONS")) {
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
            response.setHeader("Allow", READS_ALLOW);
            return;
        }
        if (!READS.contains(method) && !(method.equals("POST") && PAGES_PREFIXES.stream().anyMatch(path::startsWith))) {
            response.setStatus(ProblemType.METHOD_NOT_ALLOWED.status());
            response.setHeader("Allow", READS_ALLOW);
            Problems.write(response, ProblemType.METHOD_NOT_ALLOWED, "This path does not accept " + printable(method)
                    + "; it accepts " + READS_ALLOW + ".", path, Map.of());
            return;
        }
        chain.doFilter(request, response);
    }

    /** The headers of every answer, also set on error dispatches. */
    static void securityHeaders(HttpServletResponse response) {
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Cache-Control", "no-store");
    }

    private static boolean hasBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }

    /**
     * Answers with a problem and closes the connection: the request's body, if any, is never read, and nothing
     * else that arrives on the connection is served.
     */
    private void closingRefusal(HttpServletResponse response, String connection, ProblemType type, String detail,
                                String path, String allow) throws IOException {
        closing.add(connection);
        response.setStatus(type.status());
        response.setHeader("Connection", "close");
        if (allow != null) {
            response.setHeader("Allow", allow);
        }
        Problems.write(response, type, detail, path, Map.of());
    }

    private static String path(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        return uri.startsWith(context) ? uri.substring(context.length()) : uri;
    }

    /**
     * Connections this filter answered with {@code Connection: close}, for as long as anything the parser had
     * already read on them can still arrive (it arrives at once, on the same worker; a minute is ample). Ids are
     * the container's connection ids, never reused; entries older than that are dropped as new ones come, so a
     * flood of refused requests costs memory for one minute of them at most.
     */
    static final class ClosingConnections {

        private static final long REMEMBER_NANOS = TimeUnit.MINUTES.toNanos(1);
        private static final int PRUNE_ABOVE = 1024;

        private final Map<String, Long> since = new ConcurrentHashMap<>();

        static String id(HttpServletRequest request) {
            ServletConnection connection = request.getServletConnection();
            String id = connection == null ? null : connection.getConnectionId();
            return id != null && !id.isEmpty() ? id
                    : request.getRemoteAddr() + ":" + request.getRemotePort() + ">" + request.getLocalPort();
        }

        void add(String connection) {
            long now = System.nanoTime();
            if (since.size() >= PRUNE_ABOVE) {
                since.values().removeIf(at -> now - at > REMEMBER_NANOS);
            }
            since.put(connection, now);
        }

        boolean contains(String connection) {
            Long at = since.get(connection);
            return at != null && System.nanoTime() - at <= REMEMBER_NANOS;
        }
    }

    /** A method token is echoed only when it is a plain token, and never longer than a method name can be. */
    private static String printable(String method) {
        return method.matches("[A-Za-z-]{1,20}") ? method : "this method";
    }
}
