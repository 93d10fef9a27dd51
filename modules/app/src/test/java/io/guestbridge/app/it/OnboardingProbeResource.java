package io.guestbridge.app.it;

import io.guestbridge.identity.api.GuestDirectory;
import io.guestbridge.identity.api.GuestId;
import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.openapi.annotations.Operation;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/**
 * In the tests' shared WAR ({@link Deployed#sharedWar()}), never in the product; used by {@link OnboardingIT}: opens a credential's sealed passphrase with the guest's
 * data key, as the guest would read it in the delivery, so the test can type it into a RADIUS client. 404 once the
 * guest's key or the credential is gone.
 */
@Path("it-probe/onboarding")
@RequestScoped
@PermitAll
public class OnboardingProbeResource {

    @Inject
    GuestDirectory directory;

    @jakarta.annotation.Resource(lookup = io.guestbridge.platform.api.Database.JNDI_NAME)
    javax.sql.DataSource dataSource;

    @Operation(hidden = true)
    @GET
    @Path("passphrase/{credential}")
    @Produces(MediaType.TEXT_PLAIN)
    public String passphrase(@PathParam("credential") String credential) throws Exception {
        String guest;
        byte[] sealed;
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT guest_id, passphrase_sealed FROM onb_credential WHERE id = ?")) {
            s.setString(1, credential);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new NotFoundException();
                }
                guest = rs.getString(1);
                sealed = rs.getBytes(2);
            }
        }
        return directory.open(new GuestId(guest), "onboarding:credential:" + credential, sealed)
                .map(bytes -> new String(bytes, StandardCharsets.UTF_8)).orElseThrow(NotFoundException::new);
    }
}
