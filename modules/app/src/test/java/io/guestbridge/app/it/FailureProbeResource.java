package io.guestbridge.app.it;

import io.guestbridge.platform.api.ProblemException;
import io.guestbridge.platform.api.ProblemType;
import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.context.RequestScoped;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.openapi.annotations.Operation;
import jakarta.ws.rs.ServiceUnavailableException;

/**
 * In the tests' shared WAR ({@link Deployed#sharedWar()}), never in the product; used by {@link HttpHardeningIT}: the ways a request can end in a 5xx, so the
 * test can check each is logged under the incident id its problem names. The messages carry an email, which
 * the log must not.
 */
@Path("it-probe/failures")
@RequestScoped
@PermitAll
public class FailureProbeResource {

    static final String EMAIL_IN_MESSAGE = "failure.probe.guest@example.com";

    @Operation(hidden = true)
    @GET
    @Path("exception")
    public String exception() {
        throw new IllegalStateException("probe failure while handling " + EMAIL_IN_MESSAGE);
    }

    @Operation(hidden = true)
    @GET
    @Path("problem")
    public String problem() {
        throw new ProblemException(ProblemType.UNAVAILABLE, "The probe is unavailable; retry later.");
    }

    @Operation(hidden = true)
    @GET
    @Path("web-application")
    public String webApplication() {
        throw new ServiceUnavailableException();
    }

    /** A servlet outside JAX-RS that fails: the container's error page answers it. */
    @WebServlet("/it-probe/servlet-failure")
    public static class FailingServlet extends HttpServlet {

        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) {
            throw new IllegalStateException("servlet probe failure while handling " + EMAIL_IN_MESSAGE);
        }
    }
}
