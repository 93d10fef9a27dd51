package io.guestbridge.app;

import io.guestbridge.platform.api.Roles;
import jakarta.annotation.security.DeclareRoles;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.auth.LoginConfig;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.info.License;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/**
 * The management and ingestion API under {@code /api/v1}. Callers authenticate with MicroProfile JWT
 * bearer tokens whose {@code groups} claim carries their roles; public endpoints (webhooks that
 * authenticate by per-source key or signature, the subject-request portal) say {@code @PermitAll}.
 */
@ApplicationPath("/api/v1")
@LoginConfig(authMethod = "MP-JWT", realmName = "guestbridge")
@DeclareRoles({Roles.OPERATOR, Roles.COMPLIANCE_OFFICER, Roles.DPO, Roles.INTEGRATION})
@OpenAPIDefinition(
        info = @Info(title = "guestbridge", version = "0.1.0",
                description = "Turns guest-WiFi logins and booking events into consented CRM contacts, with a consent "
                        + "ledger, per-field source of truth, a GDPR request orchestrator and a verifiable audit trail. "
                        + "Errors are RFC 9457 problem+json; each operation names the roles that may call it.",
                license = @License(name = "Apache-2.0")))
@SecurityScheme(securitySchemeName = "jwt", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT",
        description = "MicroProfile JWT issued by the configured identity provider; roles in the groups claim: "
                + "operator, compliance-officer, dpo, integration.")
public class GuestbridgeApplication extends Application {
}
