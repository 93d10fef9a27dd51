package io.guestbridge.app;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Alive while the application is deployed and has heap to spare; restart it otherwise. */
@Liveness
@ApplicationScoped
public class ProcessLiveness implements HealthCheck {

    @Override
    public HealthCheckResponse call() {
        Runtime runtime = Runtime.getRuntime();
        long used = runtime.totalMemory() - runtime.freeMemory();
        boolean heapOk = used < runtime.maxMemory() * 0.98;
        return HealthCheckResponse.named("process").status(heapOk).withData("heapUsedMb", used / (1024 * 1024)).build();
    }
}
