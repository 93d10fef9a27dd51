package io.guestbridge.crmemulator;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One loopback HTTP server emulating HubSpot, Salesforce, Mailchimp and Purple at once, each under its real
 * paths ({@code /crm/...}, {@code /services/...}, {@code /3.0/...}; Purple's modelled {@code /api/company/...}),
 * a generic HTTP SMS gateway ({@code /sms/v1/messages}) and Meraki's identity PSKs ({@code /api/v1/networks/...}),
 * so a connector only needs the base URL.
 *
 * <pre>{@code
 * try (CrmEmulator emulator = CrmEmulator.start()) {
 *     emulator.hubspot().rateLimit(10, Duration.ofSeconds(10));
 *     // point the connector under test at emulator.baseUrl(), with token "hubspot-test-token"
 *     assertEquals(List.of(), emulator.hubspot().contractViolations());
 * }
 * }</pre>
 *
 * <p>It binds 127.0.0.1 on a free port and never anything else. Requests are served by a fixed pool of
 * {@value #SERVER_THREADS} threads, enough for a connector's concurrency plus injected slow answers.
 */
public final class CrmEmulator implements AutoCloseable {

    /** System property naming HubSpot's OpenAPI document, for {@link #start()}. */
    public static final String HUBSPOT_SPEC_PROPERTY = "crm.emulator.hubspot.spec";

    /** Where {@link #start()} looks for the document, relative to the working directory or any parent of it. */
    public static final String HUBSPOT_SPEC_RELATIVE_PATH = "../shared/crm-specs/hubspot-crm-contacts-v3.openapi.json";

    /** System property naming Meraki's OpenAPI document (identity PSKs), for every {@code start} method. */
    public static final String MERAKI_SPEC_PROPERTY = "crm.emulator.meraki.spec";

    /** Where the Meraki document is looked for, like {@value #HUBSPOT_SPEC_RELATIVE_PATH}. */
    public static final String MERAKI_SPEC_RELATIVE_PATH = "../shared/crm-specs/meraki-identity-psks.openapi.json";

    private static final int SERVER_THREADS = 16;

    private final HttpServer server;
    private final ExecutorService executor;
    private final String baseUrl;
    private final HubSpotEmulator hubspot;
    private final SalesforceEmulator salesforce;
    private final MailchimpEmulator mailchimp;
    private final PurpleEmulator purple;
    private final SmsGatewayEmulator sms;
    private final MerakiEmulator meraki;

    private CrmEmulator(HttpServer server, ExecutorService executor, OpenApiContract hubspotContract,
                        OpenApiContract merakiContract) {
        this.server = server;
        this.executor = executor;
        this.baseUrl = "http://127.0.0.1:" + server.getAddress().getPort();
        Clock clock = Clock.systemUTC();
        this.hubspot = new HubSpotEmulator(clock, hubspotContract);
        this.salesforce = new SalesforceEmulator(clock, baseUrl);
        this.mailchimp = new MailchimpEmulator(clock);
        this.purple = new PurpleEmulator(clock);
        this.sms = new SmsGatewayEmulator(clock);
        this.meraki = new MerakiEmulator(clock, merakiContract);
    }

    /**
     * Starts the emulator with HubSpot's OpenAPI document from the system property {@value #HUBSPOT_SPEC_PROPERTY},
     * or else from {@value #HUBSPOT_SPEC_RELATIVE_PATH} resolved against the working directory and each of its
     * parents in turn.
     *
     * @throws IllegalStateException if the document is not found: contract checks are never skipped silently
     */
    public static CrmEmulator start() {
        return start(locateHubSpotSpec());
    }

    /** Starts the emulator on a given loopback port (one reserved for a server configured before the test runs). */
    public static CrmEmulator start(int port) {
        return start(locateHubSpotSpec(), port);
    }

    /** Starts the emulator, checking HubSpot requests against the OpenAPI document at {@code hubspotSpec}. */
    public static CrmEmulator start(Path hubspotSpec) {
        return start(hubspotSpec, 0);
    }

    private static CrmEmulator start(Path hubspotSpec, int port) {
        OpenApiContract contract = OpenApiContract.load(Objects.requireNonNull(hubspotSpec, "hubspotSpec"));
        OpenApiContract merakiContract = OpenApiContract.load("Meraki", locateSpec("Meraki", MERAKI_SPEC_PROPERTY,
                MERAKI_SPEC_RELATIVE_PATH, "meraki-identity-psks.openapi.json"), MerakiEmulator.BASE_PATH);
        HttpServer server;
        try {
            InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
            server = HttpServer.create(new InetSocketAddress(loopback, port), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the CRM emulator to 127.0.0.1", e);
        }
        ExecutorService executor = Executors.newFixedThreadPool(SERVER_THREADS, daemonThreads());
        server.setExecutor(executor);
        CrmEmulator emulator = new CrmEmulator(server, executor, contract, merakiContract);
        server.createContext("/crm/", emulator.hubspot::handle);
        server.createContext("/services/", emulator.salesforce::handle);
        server.createContext("/3.0/", emulator.mailchimp::handle);
        server.createContext("/api/company/", emulator.purple::handle);
        server.createContext("/sms/", emulator.sms::handle);
        server.createContext(MerakiEmulator.BASE_PATH + "/", emulator.meraki::handle);
        server.createContext("/", CrmEmulator::noSuchService);
        server.start();
        return emulator;
    }

    /** {@code http://127.0.0.1:<port>}, without a trailing slash. */
    public String baseUrl() {
        return baseUrl;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public HubSpotEmulator hubspot() {
        return hubspot;
    }

    public SalesforceEmulator salesforce() {
        return salesforce;
    }

    public MailchimpEmulator mailchimp() {
        return mailchimp;
    }

    public PurpleEmulator purple() {
        return purple;
    }

    public SmsGatewayEmulator sms() {
        return sms;
    }

    public MerakiEmulator meraki() {
        return meraki;
    }

    /** Clears the stores, limits, faults, settings and request logs of all services. */
    public void reset() {
        hubspot.reset();
        salesforce.reset();
        mailchimp.reset();
        purple.reset();
        sms.reset();
        meraki.reset();
    }

    /**
     * Every stored value of every emulated service as plain text, one record a line: HubSpot and Salesforce
     * contacts, Mailchimp members (archived ones too), Purple visitors with their login history. An erasure test
     * asserts that a data subject's email, name, phone and MACs occur nowhere in it.
     *
     * <p>Left out, because they are the emulator's notes for assertions rather than the services' data: the
     * request logs, HubSpot's {@link HubSpotEmulator#gdprDeleted()}, Mailchimp's
     * {@link MailchimpEmulator#permanentlyDeleted()} and {@link MailchimpEmulator#archived()} (all three hold
     * emails), Salesforce's {@link SalesforceEmulator#deletedIds()} and Purple's
     * {@link PurpleEmulator#deletedVisitorIds()}.
     */
    public String storedText() {
        return hubspot.storedText() + salesforce.storedText() + mailchimp.storedText() + purple.storedText() + sms.storedText()
                + meraki.storedText();
    }

    /** Stops the server at once; requests still waiting on an injected delay are dropped. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "CrmEmulator at " + baseUrl;
    }

    static Path locateHubSpotSpec() {
        return locateSpec("HubSpot", HUBSPOT_SPEC_PROPERTY, HUBSPOT_SPEC_RELATIVE_PATH, "hubspot-crm-contacts-v3.openapi.json");
    }

    /**
     * A vendor's document from its system property, else from {@code relativePath} resolved against the working
     * directory and each of its parents, else the copy that ships inside this jar.
     */
    private static Path locateSpec(String service, String property, String relativePath, String bundledName) {
        String configured = System.getProperty(property);
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured).toAbsolutePath().normalize();
            if (!Files.isRegularFile(path)) {
                throw new IllegalStateException("System property " + property + " names " + path
                        + ", which is not a file");
            }
            return path;
        }
        Path workingDirectory = Path.of("").toAbsolutePath();
        for (Path directory = workingDirectory; directory != null; directory = directory.getParent()) {
            Path candidate = directory.resolve(relativePath).normalize();
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        // a fresh clone anywhere: the copy of the vendor's published document that ships inside this jar
        try (java.io.InputStream bundled = CrmEmulator.class.getResourceAsStream("/specs/" + bundledName)) {
            if (bundled != null) {
                Path copy = Files.createTempFile(bundledName.replace(".openapi.json", ""), ".openapi.json");
                copy.toFile().deleteOnExit();
                Files.write(copy, bundled.readAllBytes());
                return copy;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled copy of " + service + "'s OpenAPI document", e);
        }
        throw new IllegalStateException(service + "'s OpenAPI document was not found: looked for "
                + relativePath + " from " + workingDirectory + " and each parent directory. "
                + "Set -D" + property + "=<file>; "
                + "the emulator does not run " + service + " without checking requests against its contract.");
    }

    /** Anything outside the services' paths: a plain 404 that names the mistake. */
    private static void noSuchService(com.sun.net.httpserver.HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        byte[] body = JsonSupport.write(JsonSupport.JSON.createObjectBuilder()
                .add("error", "The crm-emulator serves /crm/ (HubSpot), /services/ (Salesforce), /3.0/ "
                        + "(Mailchimp), /api/company/ (Purple), /sms/ (SMS gateway) and /api/v1/ (Meraki); nothing at " + exchange.getRequestURI().getPath())
                .build()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", EmulatorResponse.JSON);
        exchange.sendResponseHeaders(404, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            // Daemon threads: a test that forgets close() must not keep the JVM (and the build) alive.
            Thread thread = new Thread(runnable, "crm-emulator-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
