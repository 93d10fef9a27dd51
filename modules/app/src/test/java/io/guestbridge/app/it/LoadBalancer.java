package io.guestbridge.app.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import static io.guestbridge.app.it.ItEnvironment.freePort;

/**
 * Debian's HAProxy with guestbridge's production configuration (deploy/haproxy) on a free loopback port, in
 * front of one instance. Ready once its health check sees the instance's readiness UP and a request through it
 * is answered by the instance.
 */
final class LoadBalancer implements AutoCloseable {

    private static final Path CONFIG = Path.of("../../deploy/haproxy/haproxy.cfg").toAbsolutePath().normalize();

    private final Process process;
    private final int port;
    private final Path log;

    private LoadBalancer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** HAProxy in front of the instance on {@code instancePort}; {@code waitForInstance} waits until it routes there. */
    static LoadBalancer start(int instancePort, boolean waitForInstance) {
        int port = freePort();
        Path log = ItEnvironment.home().resolve("haproxy-" + port + ".log");
        Process process;
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(haproxy(), "-db", "-f", CONFIG.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("GUESTBRIDGE_LB_BIND", "127.0.0.1:" + port);
            builder.environment().put("GUESTBRIDGE_INSTANCE_1", "127.0.0.1:" + instancePort);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("HAProxy (Debian package haproxy) could not be started", e);
        }
        LoadBalancer balancer = new LoadBalancer(process, port, log);
        try {
            balancer.awaitListening(log);
            if (waitForInstance) {
                balancer.awaitInstance(log);
            }
        } catch (RuntimeException | Error e) {
            balancer.close();
            throw e;
        }
        return balancer;
    }

    int port() {
        return port;
    }

    /** What HAProxy logged so far (one line per request and per connection). */
    String log() {
        return read(log);
    }

    java.net.URL url() {
        try {
            return URI.create("http://127.0.0.1:" + port + "/").toURL();
        } catch (java.net.MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void awaitListening(Path log) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("HAProxy exited with " + process.exitValue() + ": " + read(log));
            }
            try (java.net.Socket probe = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                pause();
            }
        }
        throw new IllegalStateException("HAProxy did not listen on " + port + " within 10 s: " + read(log));
    }

    /** The health check needs two good answers a second apart (rise 2, inter 1s) before traffic goes there. */
    private void awaitInstance(Path log) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        int last = -1;
        while (System.nanoTime() < deadline) {
            try {
                last = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/live"))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                if (last == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // HAProxy closed the connection: try again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            pause();
        }
        throw new IllegalStateException("HAProxy did not route to the instance within 20 s (last status " + last + "): " + read(log));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String haproxy() {
        return Files.isExecutable(Path.of("/usr/sbin/haproxy")) ? "/usr/sbin/haproxy" : "haproxy";
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "(no log)";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
