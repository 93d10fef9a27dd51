package io.guestbridge.platform.internal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;

/** Installs the redacting log filter as early as the application starts. */
@ApplicationScoped
public class LogRedactionInstaller {

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        RedactingLogFilter.installOnRootHandlers();
    }

    void onStartup(@Observes Startup ignored) {
        RedactingLogFilter.installOnRootHandlers();
    }
}
