package io.guestbridge.console.internal;

import io.guestbridge.audit.api.Actor;
import io.guestbridge.audit.api.AuditReader;
import io.guestbridge.crmsync.api.CrmDesk;
import io.guestbridge.ingestion.api.QuarantineDesk;
import io.guestbridge.ingestion.api.SourceDesk;
import io.guestbridge.platform.api.ProblemException;
import io.guestbridge.platform.api.ProblemType;
import io.guestbridge.platform.api.QueueStats;
import io.guestbridge.platform.api.Roles;
import io.guestbridge.platform.api.WorkQueue;
import io.guestbridge.privacy.api.PrivacyDesk;
import io.guestbridge.webpages.api.DataTable;
import io.guestbridge.webpages.api.FormTokens;
import io.guestbridge.webpages.api.PageRenderer;
import jakarta.inject.Inject;
import io.guestbridge.platform.api.Jsonp;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.microprofile.config.ConfigProvider;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The console under /console/: sign-in and sign-out, then the pages. Every page needs a session with at least one
 * console role; every form carries a single-use token; every action goes through a module's api with the person
 * as the actor, which checks the person's roles as the management API checks a token's.
 */
@WebServlet(urlPatterns = "/console/*")
public class ConsoleServlet extends HttpServlet {

    static final String ROOT = "/console/";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(ConsoleServlet.class.getName());
    static final PageRenderer PAGES = new PageRenderer(ConsoleServlet.class, "console/templates/", "console.messages",
            List.of(Locale.ENGLISH, Locale.FRENCH));
    private static final Pattern REQUEST = Pattern.compile("/requests/([0-9a-f-]{36})");
    private static final Pattern CERTIFICATE = Pattern.compile("/requests/([0-9a-f-]{36})/certificate");
    private static final Pattern REQUEST_ACTION = Pattern.compile("/requests/([0-9a-f-]{36})/(approve|reject|extend)");
    private static final Pattern STEP_ACTION = Pattern.compile("/requests/([0-9a-f-]{36})/steps/([a-z0-9][a-z0-9._-]{0,63})/(confirm|resume)");
    private static final Pattern QUARANTINED = Pattern.compile("/operations/quarantine/([0-9]{1,18})");
    private static final Pattern QUARANTINE_ACTION = Pattern.compile("/operations/quarantine/([0-9]{1,18})/(replay|discard)");
    private static final Pattern SOURCE_ACTION = Pattern.compile("/operations/sources/([A-Za-z0-9-]{1,64})/(rotate|revoke)");
    private static final Pattern DEAD_LETTER_ACTION = Pattern.compile("/operations/crm/([A-Za-z0-9._-]{1,64})/dead-letters/([0-9]{1,18})/(replay|discard)");
    private static final Pattern DEV_LINK = Pattern.compile("/dev-sign-in/([A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+)");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Times TIMES = new Times();
    /** The request list shows this many, soonest due first; the filter narrows it down. */
    static final int LIST_LIMIT = 200;
    static final int QUARANTINE_PAGE = 50;
    /** Dead letters shown per connector, oldest first; the API pages through all of them. */
    static final int DEAD_LETTERS_SHOWN = 50;
    private static final String CSS = "text/css;charset=UTF-8";

    @Inject
    ConsoleSessions sessions;

    @Inject
    ConsoleAudit audit;

    @Inject
    PrivacyDesk desk;

    @Inject
    WorkQueue queues;

    @Inject
    QuarantineDesk quarantine;

    @Inject
    SourceDesk sourceDesk;

    @Inject
    CrmDesk crm;

    @Inject
    AuditReader auditTrail;

    private transient Optional<OpenIdProvider> provider;
    private transient Optional<DevSignIn> devSignIn;
    private final transient PendingSignIns pending = new PendingSignIns();
    /** The provider's origin: the sign-out form's answer redirects there, which the pages' form-action must allow. */
    private transient String[] formActions = new String[0];
    private transient java.time.Duration rolesRecheck = java.time.Duration.ofMinutes(1);

    @Override
    public void init() {
        provider = OpenIdProvider.configured(ConfigProvider.getConfig());
        devSignIn = DevSignIn.configured(ConfigProvider.getConfig(), provider.isPresent());
        formActions = provider.map(p -> new String[] {p.origin()}).orElse(new String[0]);
        rolesRecheck = ConfigProvider.getConfig().getOptionalValue("console.session.roles-recheck", String.class).map(java.time.Duration::parse)
                .orElse(java.time.Duration.ofMinutes(1));
        LOG.info(() -> "console sign-in: " + (provider.isPresent() ? "OpenID Connect provider"
                : devSignIn.isPresent() ? "development links only" : "none configured"));
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        switch (path) {
            case "" -> redirect(response, ROOT);
            case "/console.css" -> PageRenderer.staticFile(response, "console/static/console.css", CSS);
            case "/pages.css" -> PageRenderer.staticFile(response, PageRenderer.SHARED_STYLESHEET, CSS);
            case "/sign-in" -> startSignIn(request, response);
            case "/callback" -> callback(request, response);
            case "/signed-out" -> message(request, response, null, 200, "signedOut");
            default -> {
                Matcher dev = DEV_LINK.matcher(path);
                if (dev.matches()) {
                    devSignIn(request, response, dev.group(1));
                    return;
                }
                Optional<ConsoleSession> session = signedIn(request, response);
                if (session.isEmpty()) {
                    return;
                }
                choseLanguage(request, session.get());
                if (allowed(request, response, session.get(), "GET", path)) {
                    page(request, response, session.get(), path);
                }
            }
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        ConsoleSessions.Lookup lookup = sessions.lookup(request);
        if (!(lookup instanceof ConsoleSessions.Active active)) {
            message(request, response, null, 401, lookup instanceof ConsoleSessions.Ended ? "sessionEnded" : "signInFirst");
            return;
        }
        ConsoleSession session = active.session();
        if (!rolesCurrent(request, response, session)) {
            message(request, response, null, 401, "sessionEnded");
            return;
        }
        if (!session.forms().spend(request.getParameter(FormTokens.FIELD))) {
            message(request, response, session, 403, "formExpired");
            return;
        }
        if (path.equals("/sign-out")) {
            signOut(request, response, session);
            return;
        }
        if (session.roles().isEmpty()) {
            message(request, response, session, 403, "noRole");
            return;
        }
        if (!allowed(request, response, session, "POST", path)) {
            return;
        }
        if (path.equals("/audit/verify") || path.equals("/audit/export")) {
            auditPost(request, response, session, path);
            return;
        }
        if (path.equals("/guests/lookup")) {
            guestLookup(request, response, session);
            return;
        }
        if (path.equals("/operations/sources")) {
            registerSource(request, response, session);
            return;
        }
        Matcher sourceAction = SOURCE_ACTION.matcher(path);
        if (sourceAction.matches()) {
            sourceAction(request, response, session, sourceAction.group(1), sourceAction.group(2));
            return;
        }
        Matcher deadLetter = DEAD_LETTER_ACTION.matcher(path);
        if (deadLetter.matches()) {
            deadLetterAction(request, response, session, deadLetter.group(1), Long.parseLong(deadLetter.group(2)), deadLetter.group(3));
            return;
        }
        Matcher quarantineAction = QUARANTINE_ACTION.matcher(path);
        if (quarantineAction.matches()) {
            quarantineAction(request, response, session, Long.parseLong(quarantineAction.group(1)), quarantineAction.group(2));
            return;
        }
        Matcher action = REQUEST_ACTION.matcher(path);
        Matcher step = STEP_ACTION.matcher(path);
        String id;
        String done;
        try {
            if (action.matches()) {
                id = action.group(1);
                done = action.group(2);
                switch (done) {
                    case "approve" -> desk.approve(id, session.staff());
                    case "reject" -> desk.reject(id, request.getParameter("reason"), session.staff());
                    // a CCPA request's form sends its one period in days, a GDPR request's in months
                    default -> {
                        if (request.getParameter("days") != null) {
                            desk.extendByDays(id, months(request.getParameter("days")), request.getParameter("reason"), session.staff());
                        } else {
                            desk.extend(id, months(request.getParameter("months")), request.getParameter("reason"), session.staff());
                        }
                    }
                }
            } else if (step.matches()) {
                id = step.group(1);
                done = step.group(3);
                if (done.equals("confirm")) {
                    desk.confirmStep(id, step.group(2), request.getParameter("evidence"), session.staff());
                } else if (!desk.resumeStep(id, step.group(2), session.staff())) {
                    throw ProblemException.conflict("There is no pending step " + step.group(2) + " to resume.");
                }
            } else {
                message(request, response, session, 404, "notFound");
                return;
            }
        } catch (RuntimeException e) {
            ProblemException problem = refusal(e);
            if (problem.type() == ProblemType.FORBIDDEN) {
                message(request, response, session, 403, "forbidden");
                return;
            }
            String requestId = action.matches() ? action.group(1) : step.group(1);
            requestPage(request, response, session, requestId, problem.type().status(), problem.detail(), null);
            return;
        }
        redirect(response, ROOT + "requests/" + id + "?done=" + done);
    }

    // ---- sign-in and sign-out

    private void startSignIn(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String next = safeNext(request.getParameter("next"));
        if (provider.isEmpty()) {
            message(request, response, null, 200, devSignIn.isPresent() ? "useDevLink" : "noProvider");
            return;
        }
        OpenIdProvider.Start start;
        try {
            start = provider.get().start(callbackUri(request));
        } catch (OpenIdProvider.SignInFailed e) {
            LOG.log(Level.WARNING, "console sign-in could not start: " + e.getMessage(), e.getCause());
            message(request, response, null, 503, "providerUnavailable");
            return;
        }
        String browser = random();
        if (!pending.add(start.state(), browser, start.verifier(), start.nonce(), next)) {
            message(request, response, null, 503, "providerUnavailable");
            return;
        }
        ConsoleSessions.setCookie(response, PendingSignIns.COOKIE, browser, (int) PendingSignIns.LIFETIME.toSeconds());
        redirect(response, start.authorizationUri().toString());
    }

    private void callback(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (provider.isEmpty()) {
            message(request, response, null, 404, "notFound");
            return;
        }
        Optional<PendingSignIns.Pending> started = pending.take(request.getParameter("state"),
                ConsoleSessions.cookieValue(request, PendingSignIns.COOKIE).orElse(null));
        ConsoleSessions.setCookie(response, PendingSignIns.COOKIE, "", 0);
        String code = request.getParameter("code");
        if (started.isEmpty() || code == null || code.length() > 2048) {
            // a provider error (the person cancelled), a reload of the callback, or a callback this browser did not start
            message(request, response, null, 400, "signInFailed");
            return;
        }
        OpenIdProvider.Identity identity;
        try {
            identity = provider.get().finish(code, callbackUri(request), started.get().verifier(), started.get().nonce());
        } catch (OpenIdProvider.SignInFailed e) {
            LOG.log(Level.WARNING, "console sign-in failed: " + e.getMessage());
            message(request, response, null, 400, "signInFailed");
            return;
        }
        begin(request, response, identity, "openid-connect", started.get().next());
    }

    private void devSignIn(HttpServletRequest request, HttpServletResponse response, String token) throws IOException {
        if (devSignIn.isEmpty()) {
            message(request, response, null, 404, "notFound");
            return;
        }
        Optional<OpenIdProvider.Identity> identity = devSignIn.get().redeem(token);
        if (identity.isEmpty()) {
            message(request, response, null, 400, "devLinkUsed");
            return;
        }
        begin(request, response, identity.get(), "development-link", ROOT);
    }

    private void begin(HttpServletRequest request, HttpServletResponse response, OpenIdProvider.Identity identity, String how, String next)
            throws IOException {
        String actor = Actor.of(() -> identity.displayName());
        ConsoleSession session = new ConsoleSession(identity.subject(), identity.displayName(), actor, identity.roles(), identity.idToken(),
                java.time.Instant.now()).withRefreshToken(identity.refreshToken());
        sessions.start(request, response, session);
        audit.signedIn(actor, how, identity.roles());
        redirect(response, identity.roles().isEmpty() ? ROOT : next);
    }

    private void signOut(HttpServletRequest request, HttpServletResponse response, ConsoleSession session) throws IOException {
        sessions.end(request, response);
        audit.signedOut(session.actor());
        URI signedOut = URI.create(origin(request) + request.getContextPath() + ROOT + "signed-out");
        Optional<URI> atProvider = provider.flatMap(p -> p.signOut(session.idToken(), signedOut));
        redirect(response, atProvider.map(URI::toString).orElse(signedOut.toString()));
    }

    /**
     * Reads the person's roles from the provider again once {@code console.session.roles-recheck} (default 1 minute) has
     * passed since it last told them, through the sign-in's refresh token: a role removed at the provider is gone here
     * by the next request after that; a sign-in the provider no longer accepts (ended or revoked there, the person
     * disabled) ends the session here. An unreachable provider ends it too: a role that cannot be confirmed is not
     * assumed. False when the session has ended.
     */
    private boolean rolesCurrent(HttpServletRequest request, HttpServletResponse response, ConsoleSession session) {
        if (provider.isEmpty() || session.refreshToken() == null) {
            return true;
        }
        java.time.Instant now = java.time.Instant.now();
        synchronized (session) {
            if (now.isBefore(session.rolesReadAt().plus(rolesRecheck))) {
                return true;
            }
            try {
                OpenIdProvider.Identity current = provider.get().refresh(session.refreshToken());
                if (!current.subject().equals(session.subject())) {
                    throw new OpenIdProvider.SignInFailed("the provider answered for another person", null);
                }
                java.util.Set<String> before = session.roles();
                session.rolesRead(current.roles(), current.idToken(), current.refreshToken(), now);
                if (!before.equals(current.roles())) {
                    audit.rolesChanged(session.actor(), before, current.roles());
                }
                return true;
            } catch (OpenIdProvider.SignInFailed e) {
                LOG.log(Level.INFO, "console session ended: " + e.getMessage());
                sessions.end(request, response);
                audit.endedByProvider(session.actor());
                return false;
            }
        }
    }

    /** The request's session, or an answer already sent: off to sign in, session ended, or no console role. */
    private Optional<ConsoleSession> signedIn(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ConsoleSessions.Lookup lookup = sessions.lookup(request);
        if (lookup instanceof ConsoleSessions.Active active) {
            if (!rolesCurrent(request, response, active.session())) {
                message(request, response, null, 401, "sessionEnded");
                return Optional.empty();
            }
            if (active.session().roles().isEmpty()) {
                message(request, response, active.session(), 403, "noRole");
                return Optional.empty();
            }
            return Optional.of(active.session());
        }
        if (lookup instanceof ConsoleSessions.Ended) {
            message(request, response, null, 401, "sessionEnded");
            return Optional.empty();
        }
        String here = request.getRequestURI().substring(request.getContextPath().length());
        redirect(response, request.getContextPath() + ROOT + "sign-in?next=" + URLEncoder.encode(here, StandardCharsets.UTF_8));
        return Optional.empty();
    }

    // ---- pages

    /** The gate of every page and action ({@link ConsolePage}); false with the answer sent: not found, or not for the person's roles. */
    private boolean allowed(HttpServletRequest request, HttpServletResponse response, ConsoleSession session, String method, String path)
            throws IOException {
        Optional<ConsolePage> page = ConsolePage.of(method, path);
        if (page.isEmpty()) {
            message(request, response, session, 404, "notFound");
            return false;
        }
        if (!page.get().allowedFor(session.roles())) {
            message(request, response, session, 403, "forbidden");
            return false;
        }
        return true;
    }

    private void page(HttpServletRequest request, HttpServletResponse response, ConsoleSession session, String path) throws IOException {
        Matcher one = REQUEST.matcher(path);
        Matcher certificate = CERTIFICATE.matcher(path);
        if (path.equals("/")) {
            overview(request, response, session);
        } else if (path.equals("/requests")) {
            requestList(request, response, session);
        } else if (one.matches()) {
            String done = request.getParameter("done");
            requestPage(request, response, session, one.group(1), 200, null, done != null && done.matches("[a-z]{1,10}") ? done : null);
        } else if (certificate.matches()) {
            certificateDownload(request, response, session, certificate.group(1));
        } else if (path.equals("/audit")) {
            auditPage(request, response, session, null);
        } else if (path.equals("/operations/quarantine")) {
            String done = request.getParameter("done");
            String doneId = request.getParameter("id");
            boolean told = done != null && done.matches("replayed|discarded") && doneId != null && doneId.matches("[0-9]{1,18}");
            quarantineList(request, response, session, told ? done : null, told ? doneId : null);
        } else if (QUARANTINED.matcher(path).matches()) {
            Matcher event = QUARANTINED.matcher(path);
            event.matches();
            quarantinedPage(request, response, session, Long.parseLong(event.group(1)), 200, null);
        } else if (path.equals("/data-map")) {
            Map<String, Object> model = common(request, session, "data-map");
            model.put("controller", desk.controller(session.staff()));
            model.put("systems", desk.dataMap(session.staff()));
            model.put("mayDownload", ConsolePage.RECORD_OF_PROCESSING.allowedFor(session.roles()));
            PAGES.render(response, 200, "data-map", locale(request, session), model, formActions);
        } else if (path.equals("/data-map/record-of-processing.csv")) {
            String csv = desk.recordOfProcessingCsv(session.staff());
            PageRenderer.headers(response);
            response.setContentType("text/csv;charset=UTF-8");
            response.setHeader("Content-Disposition", "attachment; filename=\"record-of-processing.csv\"");
            response.getWriter().write(csv);
        } else if (path.equals("/data-map/record-of-processing")) {
            Map<String, Object> model = common(request, session, "data-map");
            model.put("record", desk.recordOfProcessing(session.staff()));
            PAGES.render(response, 200, "record-of-processing", locale(request, session), model, formActions);
        } else if (path.equals("/operations/crm")) {
            String done = request.getParameter("done");
            String doneId = request.getParameter("id");
            boolean told = done != null && done.matches("replayed|discarded") && doneId != null && doneId.matches("[0-9]{1,18}");
            crmPage(request, response, session, told ? done : null, told ? doneId : null);
        } else if (path.equals("/operations/sources")) {
            sourcesPage(request, response, session, 200, null, "revoked".equals(request.getParameter("done")) ? "revoked" : null);
        } else if (path.equals("/guests")) {
            guestPage(request, response, session, 200, null, null, false);
        } else if (path.equals("/operations/queues")) {
            Map<String, Object> model = common(request, session, "queues");
            model.put("queues", queues.stats());
            PAGES.render(response, 200, "queues", locale(request, session), model, formActions);
        } else {
            message(request, response, session, 404, "notFound");
        }
    }

    private void overview(HttpServletRequest request, HttpServletResponse response, ConsoleSession session) throws IOException {
        Map<String, Object> model = common(request, session, "overview");
        if (PrivacyDesk.Action.VIEW.allowedFor(session.roles())) {
            model.put("counts", desk.counts(session.staff()));
        }
        model.put("chain", auditTrail.status());
        model.put("quarantined", quarantine.count());
        if (session.has(Roles.OPERATOR)) {
            List<QueueStats> stats = queues.stats();
            model.put("queues", stats);
            model.put("deadLetters", stats.stream().mapToLong(QueueStats::dead).sum());
        }
        PAGES.render(response, 200, "overview", locale(request, session), model, formActions);
    }

    private void requestList(HttpServletRequest request, HttpServletResponse response, ConsoleSession session) throws IOException {
        Set<String> states = chosen(request, "state", desk.states());
        Set<String> types = chosen(request, "type", List.of("ERASURE", "ACCESS", "RECTIFICATION", "OBJECTION", "OPT_OUT"));
        PrivacyDesk.Due due;
        try {
            due = PrivacyDesk.Due.valueOf(Optional.ofNullable(request.getParameter("due")).orElse("ANY"));
        } catch (IllegalArgumentException e) {
            due = PrivacyDesk.Due.ANY;
        }
        Map<String, Object> model = common(request, session, "requests");
        model.put("requests", desk.list(new PrivacyDesk.Filter(states, types, due, LIST_LIMIT), session.staff()));
        model.put("limit", LIST_LIMIT);
        model.put("allStates", desk.states());
        model.put("openStates", desk.openStates());
        model.put("states", states);
        model.put("types", types);
        model.put("due", due.name());
        PAGES.render(response, 200, "requests", locale(request, session), model, formActions);
    }

    /** The request's certificate as a file; while it is not issuable, the request page says why (and when to try again). */
    private void certificateDownload(HttpServletRequest request, HttpServletResponse response, ConsoleSession session, String id) throws IOException {
        String certificate;
        try {
            certificate = desk.certificate(id, session.staff());
        } catch (RuntimeException e) {
            ProblemException refused = problem(e);
            if (refused != null && refused.type() == ProblemType.CONFLICT) {
                requestPage(request, response, session, id, 409, refused.getMessage(), null);
                return;
            }
            if (refused != null && refused.type() == ProblemType.NOT_FOUND) {
                message(request, response, session, 404, "notFound");
                return;
            }
            throw e;
        }
        PageRenderer.headers(response);
        response.setContentType("application/json;charset=UTF-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"privacy-request-" + id + "-certificate.json\"");
        response.getWriter().write(certificate);
    }

    private void requestPage(HttpServletRequest request, HttpServletResponse response, ConsoleSession session, String id, int status,
                             String problem, String done) throws IOException {
        Optional<PrivacyDesk.Request> found;
        try {
            found = desk.find(id, session.staff());
        } catch (RuntimeException e) {
            ProblemException refused = problem(e);
            if (refused != null && refused.type() == ProblemType.FORBIDDEN) {
                message(request, response, session, 403, "forbidden");
                return;
            }
            throw e;
        }
        if (found.isEmpty()) {
            message(request, response, session, 404, "notFound");
            return;
        }
        Map<String, Object> model = common(request, session, "requests");
        model.put("r", found.get());
        model.put("open", desk.openStates().contains(found.get().state()));
        model.put("problem", problem);
        model.put("done", done);
        Map<String, Boolean> may = new HashMap<>();
        for (PrivacyDesk.Action action : PrivacyDesk.Action.values()) {
            may.put(action.name(), action.allowedFor(session.roles()));
        }
        model.put("may", may);
        PAGES.render(response, status, "request", locale(request, session), model, formActions);
    }

    /** The quarantine, oldest first, a page at a time (the operator's, as in the API). */
    private void quarantineList(HttpServletRequest request, HttpServletResponse response, ConsoleSession session, String done, String doneId)
            throws IOException {
        long after = 0;
        String sent = request.getParameter("after");
        if (sent != null && sent.matches("[0-9]{1,18}")) {
            after = Long.parseLong(sent);
        }
        List<QuarantineDesk.Quarantined> items = quarantine.list(after, QUARANTINE_PAGE + 1, session.actor(), session.roles());
        Map<String, Object> model = common(request, session, "quarantine");
        model.put("items", items.size() > QUARANTINE_PAGE ? items.subList(0, QUARANTINE_PAGE) : items);
        model.put("next", items.size() > QUARANTINE_PAGE ? items.get(QUARANTINE_PAGE - 1).id() : null);
        model.put("done", done);
        model.put("doneId", doneId);
        PAGES.render(response, 200, "quarantine", locale(request, session), model, formActions);
    }

    private void quarantinedPage(HttpServletRequest request, HttpServletResponse response, ConsoleSession session, long id, int status,
                                 String problem) throws IOException {
        QuarantineDesk.Inspection inspection;
        try {
            inspection = quarantine.inspect(id, session.actor(), session.roles());
        } catch (RuntimeException e) {
            ProblemException refused = problem(e);
            if (refused != null && refused.type() == ProblemType.NOT_FOUND) {
                message(request, response, session, 404, "notFound");
                return;
            }
            throw e;
        }
        Map<String, Object> model = common(request, session, "quarantine");
        model.put("q", inspection);
        model.put("payload", prettyJson(inspection.maskedPayload()));
        model.put("problem", problem);
        PAGES.render(response, status, "quarantined", locale(request, session), model, formActions);
    }

    /** Replay (with the correction when one is typed) or discard; answered with the list, or with the event and the problem. */
    private void quarantineAction(HttpServletRequest request, HttpServletResponse response, ConsoleSession session, long id, String action)
            throws IOException {
        try {
            if (action.equals("replay")) {
                String corrected = request.getParameter("corrected");
                quarantine.replay(id, corrected == null || corrected.isBlank() ? null : corrected.getBytes(StandardCharsets.UTF_8), session.actor(),
                        session.roles());
            } else {
                quarantine.discard(id, request.getParameter("reason"), session.actor(), session.roles());
            }
        } catch (RuntimeException e) {
            ProblemException problem = refusal(e);
            if (problem.type() == ProblemType.NOT_FOUND) {
                message(request, response, session, 404, "notFound");
                return;
            }
            quarantinedPage(request, response, session, id, problem.type().status(), problem.detail());
            return;
        }
        redirect(response, request.getContextPath() + ROOT + "operations/quarantine?done=" + (action.equals("replay") ? "replayed" : "discarded")
                + "&id=" + id);
    }

    /** The connectors with their health and the first dead letters of each (the operator's, as in the API). */
    private void crmPage(HttpServletRequest request, HttpServletResponse response, ConsoleSession session, String done, String doneId)
            throws IOException {
        List<CrmDesk.ConnectorHealth> connectors = crm.connectors(session.actor(), session.roles());
        Map<String, List<CrmDesk.DeadLetter>> dead = new LinkedHashMap<>();
        for (CrmDesk.ConnectorHealth connector : connectors) {
            dead.put(connector.connector(), "DISABLED".equals(connector.state()) ? List.of()
                    : crm.deadLetters(connector.connector(), 0, DEAD_LETTERS_SHOWN, session.actor(), session.roles()));
        }
        Map<String, Object> model = common(request, session, "crm");
        model.put("connectors", connectors);
        model.put("dead", dead);
        model.put("done", done);
        model.put("doneId", doneId);
        PAGES.render(response, 200, "crm", locale(request, session), model, formActions);
    }

    private void deadLetterAction(HttpServletRequest request, HttpServletResponse response, ConsoleSession session, String connector, long id,
                                  String action) throws IOException {
        try {
            if (action.equals("replay")) {
                crm.replay(connector, id, session.actor(), session.roles());
            } else {
                crm.discard(connector, id, session.actor(), session.roles());
            }
        } catch (RuntimeException e) {
            ProblemException problem = refusal(e);
            message(request, response, session, problem.type() == ProblemType.NOT_FOUND ? 404 : problem.type().status(),
                    problem.type() == ProblemType.FORBIDDEN ? "forbidden" : "notFound");
            return;
        }
        redirect(response, request.getContextPath() + ROOT + "operations/crm?done=" + (action.equals("replay") ? "replayed" : "discarded") + "&id=" + id);
    }

    private void sourcesPage(HttpServletRequest request, HttpServletResponse response, ConsoleSession session, int status, String problem,
                             String done) throws IOException {
        Map<String, Object> model = common(request, session, "sources");
        model.put("sources", sourceDesk.list(session.actor(), session.roles()));
        model.put("problem", problem);
        model.put("done", done);
        PAGES.render(response, status, "sources", locale(request, session), model, formActions);
    }

    /** A new source; its key, path and secret are on the answer to this post and nowhere else, ever. */
    private void registerSource(HttpServletRequest request, HttpServletResponse response, ConsoleSession session) throws IOException {
        SourceDesk.Registered registered;
        try {
            String venueRef = request.getParameter("venueRef");
            registered = sourceDesk.register(request.getParameter("kind"), request.getParameter("name"),
                    venueRef == null || venueRef.isBlank() ? null : venueRef.strip(), request.getParameter("timeZone"), session.actor(), session.roles());
        } catch (RuntimeException e) {
            ProblemException problem = refusal(e);
            sourcesPage(request, response, session, problem.type().status(), problem.detail(), null);
            return;
        }
        Map<String, Object> model = common(request, session, "sources");
        model.put("source", registered.source());
        model.put("key", registered.key());
        model.put("path", registered.webhookPath());
        model.put("secret", registered.signingSecret());
        model.put("rotated", false);
        PAGES.render(response, 201, "source-secret", locale(request, session), model, formActions);
    }

    private void sourceAction(HttpServletRequest request, HttpServletResponse response, ConsoleSession session, String id, String action)
            throws IOException {
        try {
            if (action.equals("revoke")) {
                sourceDesk.revoke(id, session.actor(), session.roles());
                redirect(response, request.getContextPath() + ROOT + "operations/sources?done=revoked");
                return;
            }
            String secret = sourceDesk.rotateSecret(id, session.actor(), session.roles());
            SourceDesk.SourceInfo source = sourceDesk.list(session.actor(), session.roles()).stream().filter(s -> s.id().equals(id)).findFirst()
                    .orElseThrow();
            Map<String, Object> model = common(request, session, "sources");
            model.put("source", source);
            model.put("key", null);
            model.put("secret", secret);
            model.put("rotated", true);
            PAGES.render(response, 200, "source-secret", locale(request, session), model, formActions);
        } catch (RuntimeException e) {
            ProblemException problem = refusal(e);
            if (problem.type() == ProblemType.NOT_FOUND) {
                message(request, response, session, 404, "notFound");
                return;
            }
            sourcesPage(request, response, session, problem.type().status(), problem.detail(), null);
        }
    }

    private static String prettyJson(jakarta.json.JsonValue value) {
        java.io.StringWriter out = new java.io.StringWriter();
        try (jakarta.json.JsonWriter writer = Jsonp.JSON.createWriterFactory(Map.of(jakarta.json.stream.JsonGenerator.PRETTY_PRINTING, true))
                .createWriter(out)) {
            writer.write(value);
        }
        return out.toString().strip();
    }

    /**
     * A guest's file, found by the email address posted (never a query parameter: an address bar, a history and an access
     * log would keep it). The answer is the page itself, at the form's own address.
     */
    private void guestLookup(HttpServletRequest request, HttpServletResponse response, ConsoleSession session) throws IOException {
        Optional<PrivacyDesk.GuestFile> file;
        try {
            file = desk.lookUpGuest(request.getParameter("email"), session.staff());
        } catch (RuntimeException e) {
            ProblemException problem = refusal(e);
            if (problem.type() == ProblemType.FORBIDDEN) {
                message(request, response, session, 403, "forbidden");
                return;
            }
            guestPage(request, response, session, problem.type().status(), problem.detail(), null, false);
            return;
        }
        guestPage(request, response, session, 200, null, file.orElse(null), file.isEmpty());
    }

    private void guestPage(HttpServletRequest request, HttpServletResponse response, ConsoleSession session, int status, String problem,
                           PrivacyDesk.GuestFile file, boolean notFound) throws IOException {
        Map<String, Object> model = common(request, session, "guests");
        model.put("problem", problem);
        model.put("notFound", notFound);
        model.put("file", file);
        if (file != null) {
            JsonObjectBuilder held = Jsonp.JSON.createObjectBuilder();
            file.held().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(part -> held.add(part.getKey(), part.getValue()));
            model.put("tables", DataTable.perModule(held.build()));
        }
        PAGES.render(response, status, "guest", locale(request, session), model, formActions);
    }

    /** The audit trail is the compliance officer's, as in the API ({@link ConsolePage#AUDIT}). */
    private void auditPage(HttpServletRequest request, HttpServletResponse response, ConsoleSession session, AuditReader.Verification verification)
            throws IOException {
        Map<String, Object> model = common(request, session, "audit");
        model.put("verification", verification);
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (String name : AuditPages.LIST_FIELDS) {
            values.put(name, AuditPages.values(request, name));
            model.put(name, String.join("\n", values.get(name)));
        }
        model.put("values", values);
        for (String name : List.of("from", "to")) {
            model.put(name, Optional.ofNullable(request.getParameter(name)).orElse(""));
        }
        model.put("maxValues", AuditReader.MAX_VALUES);
        int status = 200;
        try {
            String cursor = request.getParameter("cursor");
            AuditReader.Page page = auditTrail.find(AuditPages.filter(request), cursor == null || cursor.length() > 64 ? null : cursor, AuditPages.PAGE);
            model.put("entries", page.entries());
            model.put("nextCursor", page.nextCursor());
            model.put("query", query(values, request));
        } catch (AuditPages.InvalidFilter e) {
            model.put("invalidField", e.field);
            model.put("invalidReason", e.reason);
            List<Object> figures = new ArrayList<>(e.figures);
            while (figures.size() < 2) {
                figures.add("");
            }
            model.put("invalidFigures", figures);
            model.put("entries", List.of());
            status = 400;
        } catch (RuntimeException e) {
            ProblemException problem = refusal(e);
            model.put("problem", problem.detail());
            model.put("entries", List.of());
            status = problem.type().status();
        }
        PAGES.render(response, status, "audit", locale(request, session), model, formActions);
    }

    private void auditPost(HttpServletRequest request, HttpServletResponse response, ConsoleSession session, String path) throws IOException {
        if (path.equals("/audit/verify")) {
            auditPage(request, response, session, auditTrail.verify(session.actor()));
            return;
        }
        AuditReader.Filter filter;
        try {
            filter = AuditPages.filter(request);
        } catch (AuditPages.InvalidFilter e) {
            auditPage(request, response, session, null);
            return;
        }
        AuditReader.Verification verification = auditTrail.verify(session.actor());
        audit.exported(session.actor(), "json".equals(request.getParameter("format")) ? "json" : "csv", filter);
        if ("json".equals(request.getParameter("format"))) {
            AuditPages.exportJson(response, auditTrail, filter, verification);
        } else {
            AuditPages.exportCsv(response, auditTrail, filter, verification);
        }
    }

    /** The filter's query string, for the next page's link: each value of a field as its own parameter. */
    private static String query(Map<String, List<String>> values, HttpServletRequest request) {
        StringBuilder query = new StringBuilder();
        values.forEach((name, list) -> list.forEach(value -> query.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8)).append('&')));
        for (String name : List.of("from", "to")) {
            String value = request.getParameter(name);
            if (value != null && !value.isBlank()) {
                query.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8)).append('&');
            }
        }
        return query.toString();
    }

    private void message(HttpServletRequest request, HttpServletResponse response, ConsoleSession session, int status, String key) throws IOException {
        Map<String, Object> model = common(request, session, null);
        model.put("key", key);
        model.put("provider", provider.isPresent());
        PAGES.render(response, status, "message", locale(request, session), model, formActions);
    }

    private Map<String, Object> common(HttpServletRequest request, ConsoleSession session, String section) {
        Map<String, Object> model = new LinkedHashMap<>();
        String root = request.getContextPath() + ROOT;
        model.put("root", root);
        model.put("section", section);
        model.put("fmt", TIMES);
        model.put("session", session);
        model.put("tokenField", FormTokens.FIELD);
        if (session != null) {
            model.put("forms", session.forms());
            model.put("roles", session.roles().stream().sorted().toList());
            model.put("operator", session.has(Roles.OPERATOR));
            model.put("complianceOfficer", session.has(Roles.COMPLIANCE_OFFICER));
            model.put("mayLookUpGuests", PrivacyDesk.Action.LOOK_UP_GUEST.allowedFor(session.roles()));
        }
        Locale locale = locale(request, session);
        Map<String, String> others = new LinkedHashMap<>();
        for (Locale other : PAGES.spoken()) {
            if (!other.equals(locale)) {
                others.put(other.getLanguage(), other.getDisplayLanguage(other));
            }
        }
        model.put("otherLanguages", others);
        model.put("here", request.getRequestURI());
        return model;
    }

    private static void choseLanguage(HttpServletRequest request, ConsoleSession session) {
        String asked = request.getParameter("lang");
        if (asked != null && PAGES.spoken().stream().anyMatch(l -> l.getLanguage().equals(asked))) {
            session.language(asked);
        }
    }

    private static Locale locale(HttpServletRequest request, ConsoleSession session) {
        String chosen = request.getParameter("lang");
        if (session != null && session.language() != null) {
            chosen = session.language();
        }
        return PAGES.language(chosen, request.getHeader("Accept-Language"));
    }

    private static Set<String> chosen(HttpServletRequest request, String name, List<String> allowed) {
        Set<String> values = new LinkedHashSet<>();
        String[] sent = request.getParameterValues(name);
        if (sent != null) {
            Arrays.stream(sent).limit(allowed.size()).filter(allowed::contains).forEach(values::add);
        }
        return values;
    }

    private static int months(String value) {
        try {
            return Integer.parseInt(value == null ? "" : value.strip());
        } catch (NumberFormatException e) {
            throw ProblemException.invalid("Choose the period of the extension (1 or 2 months; 45 days for a CCPA request).");
        }
    }

    /** The problem a module's api refused with; anything else goes on up. */
    private static ProblemException refusal(RuntimeException e) {
        ProblemException problem = problem(e);
        if (problem == null) {
            throw e;
        }
        return problem;
    }

    /** The problem a module's api refused with, possibly wrapped by a transaction boundary. */
    private static ProblemException problem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ProblemException problem) {
                return problem;
            }
        }
        return null;
    }

    /** Only a path of the console itself: never another site (an open redirect), never a scheme-relative URL. */
    static String safeNext(String next) {
        if (next == null || !next.startsWith(ROOT) || next.startsWith("//") || next.contains("\\") || next.length() > 300
                || next.chars().anyMatch(ch -> ch < 0x21 || ch > 0x7e)) {
            return ROOT;
        }
        return next;
    }

    private static URI callbackUri(HttpServletRequest request) {
        return URI.create(origin(request) + request.getContextPath() + ROOT + "callback");
    }

    private static String origin(HttpServletRequest request) {
        int port = request.getServerPort();
        boolean defaultPort = (request.getScheme().equals("https") && port == 443) || (request.getScheme().equals("http") && port == 80);
        return request.getScheme() + "://" + request.getServerName() + (defaultPort ? "" : ":" + port);
    }

    private static String random() {
        byte[] raw = new byte[24];
        RANDOM.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    private static void redirect(HttpServletResponse response, String location) {
        PageRenderer.headers(response);
        response.setStatus(303);
        response.setHeader("Location", location);
    }
}
