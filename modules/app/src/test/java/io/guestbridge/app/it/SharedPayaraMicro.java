package io.guestbridge.app.it;

import fish.payara.arquillian.container.payara.managed.PayaraMicroDeployableContainer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.logging.Logger;
import org.jboss.arquillian.container.spi.client.container.DeployableContainer;
import org.jboss.arquillian.container.spi.client.container.DeploymentException;
import org.jboss.arquillian.container.spi.client.container.LifecycleException;
import org.jboss.arquillian.container.spi.client.protocol.metadata.HTTPContext;
import org.jboss.arquillian.container.spi.client.protocol.metadata.ProtocolMetaData;
import org.jboss.arquillian.core.spi.LoadableExtension;
import org.jboss.shrinkwrap.api.Archive;
import org.jboss.shrinkwrap.api.Node;

/**
 * Arquillian's Payara Micro container, keeping one server running for consecutive test classes that deploy the same
 * shared WAR ({@link Deployed#sharedWar()}): starting Payara Micro with the WAR takes 15–30 s on a 2-core machine,
 * and most test classes deploy the identical archive. A WAR without the shared marker is started and stopped per
 * class exactly as the plain container does; a different shared WAR, a server that no longer answers, or a test
 * that needs the database to itself ({@link #release()}) stops the running one first.
 * <p>
 * What a class leaves in the server (caches, a connector's recent sends, queue state) is there for the next class, as
 * what it leaves in the database always was: classes run in a fixed (alphabetical) order, and each test makes its
 * own venues, sources and guests rather than counting on an empty server.
 */
public class SharedPayaraMicro extends PayaraMicroDeployableContainer {

    /** Present, with the deployment's name as content, in a WAR that test classes may share. */
    static final String MARKER = "/WEB-INF/it-shared-deployment";

    private static final Logger LOG = Logger.getLogger(SharedPayaraMicro.class.getName());
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static volatile SharedPayaraMicro instance;

    private Archive<?> running;
    private String runningKey;
    private ProtocolMetaData runningMetaData;

    /** Registers this container in place of the plain one. */
    public static final class Extension implements LoadableExtension {
        @Override
        public void register(ExtensionBuilder builder) {
            builder.override(DeployableContainer.class, PayaraMicroDeployableContainer.class, SharedPayaraMicro.class);
        }
    }

    public SharedPayaraMicro() {
        instance = this;
    }

    /** Stops the shared server if one runs: for a test that starts servers of its own against the same database. */
    public static void release() throws DeploymentException {
        SharedPayaraMicro container = instance;
        if (container != null) {
            container.stopShared();
        }
    }

    @Override
    public synchronized ProtocolMetaData deploy(Archive<?> archive) throws DeploymentException {
        String key = keyOf(archive);
        if (key != null && key.equals(runningKey)) {
            if (answers(runningMetaData)) {
                LOG.info(() -> "reusing the running server of the shared deployment " + key);
                return runningMetaData;
            }
            LOG.warning(() -> "the shared deployment's server no longer answers; starting it again");
        }
        try {
            stopShared();
        } catch (DeploymentException e) {
            LOG.warning(() -> "stopping the previous shared server failed (" + e + "); starting the new one anyway");
        }
        ProtocolMetaData metaData;
        try {
            metaData = super.deploy(archive);
        } catch (DeploymentException | RuntimeException e) {
            try {
                super.undeploy(archive);    // a server that started but did not deploy must not hold its port for the next class
            } catch (DeploymentException | RuntimeException stopping) {
                e.addSuppressed(stopping);
            }
            throw e;
        }
        if (key != null) {
            running = archive;
            runningKey = key;
            runningMetaData = metaData;
        }
        return metaData;
    }

    @Override
    public synchronized void undeploy(Archive<?> archive) throws DeploymentException {
        if (keyOf(archive) != null && running != null) {
            return;     // kept for the next class; stopped by the next different deployment or at the suite's end
        }
        super.undeploy(archive);
    }

    @Override
    public void stop() throws LifecycleException {
        try {
            stopShared();
        } catch (DeploymentException e) {
            throw new LifecycleException("stopping the shared deployment", e);
        }
        super.stop();
    }

    private synchronized void stopShared() throws DeploymentException {
        if (running != null) {
            Archive<?> archive = running;
            running = null;
            runningKey = null;
            runningMetaData = null;
            super.undeploy(archive);
        }
    }

    private static String keyOf(Archive<?> archive) {
        Node marker = archive.get(MARKER);
        if (marker == null || marker.getAsset() == null) {
            return null;
        }
        try (InputStream in = marker.getAsset().openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean answers(ProtocolMetaData metaData) {
        HTTPContext http = metaData.getContexts(HTTPContext.class).iterator().next();
        try {
            return CLIENT.send(HttpRequest.newBuilder(URI.create("http://" + http.getHost() + ":" + http.getPort() + "/health/live"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
