package io.guestbridge.privacycenter.internal;

import io.guestbridge.identity.api.NormalizedEmail;
import io.guestbridge.identity.api.Venues;
import io.guestbridge.platform.api.ClientAddress;
import io.guestbridge.platform.api.ProblemException;
import io.guestbridge.platform.api.ProblemType;
import io.guestbridge.privacy.api.SubjectPortal;
import io.guestbridge.privacy.api.SubjectPortal.CodeCheck;
import io.guestbridge.privacy.api.SubjectPortal.ConsentOnRecord;
import io.guestbridge.privacy.api.SubjectPortal.Purpose;
import io.guestbridge.privacy.api.SubjectPortal.RequestDetail;
import io.guestbridge.privacy.api.SubjectPortal.RequestStatus;
import io.guestbridge.privacy.api.SubjectPortal.Right;
import io.guestbridge.webpages.api.FormTokens;
import io.guestbridge.webpages.api.PageRenderer;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.eclipse.microprofile.config.ConfigProvider;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The pages of the privacy center. Each post answers with its page directly (no redirect carrying state in a
 * URL): the only things in a URL are the page and the language. The guest's email is read from the form, handed
 * to the privacy module and never written anywhere here, not even back into a page after it was accepted.
 */
@WebServlet(name = "privacy-center", urlPatterns = {PrivacyCenterServlet.ROOT, PrivacyCenterServlet.ROOT + "*"})
public class PrivacyCenterServlet extends HttpServlet {

    static final String ROOT = "/privacy/";
    private static final String EXPORT = "export";
    private static final String FOLLOW = "follow";
    private static final String CONSENT = "consent";
    private static final String PROOF = "proof";
    private static final String STATUS = "status";
    private static final String CONSENTS = "consents";
    private static final String WITHDRAW = "withdraw";
    private static final String REFERENCE = "[0-9a-f-]{36}";
    private static final String EXPORT_TOKEN = "[A-Za-z0-9_-]{43}";
    private static final long serialVersionUID = 1L;
    private static final int MAX_FIELD = 254;
    static final PageRenderer PAGES = new PageRenderer(PrivacyCenterServlet.class, "privacycenter/templates/", "privacycenter.messages",
            Languages.SPOKEN);
    private static final String FORM_TOKENS = FormTokens.class.getName();
    private static final String ZONE = PrivacyCenterServlet.class.getName() + ".zone";

    @Inject
    transient SubjectPortal portal;

    @Inject
    transient Venues venues;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String page = page(request);
        switch (page) {
            case "" -> start(request, response, HttpServletResponse.SC_OK, new Form());
            case FOLLOW -> prove(request, response, HttpServletResponse.SC_OK, Purpose.FOLLOW, new Form());
            case CONSENT -> prove(request, response, HttpServletResponse.SC_OK, Purpose.CONSENT, new Form());
            case STATUS -> status(request, response);
            case CONSENTS -> consents(request, response, null);
            case "pages.css" -> PageRenderer.staticFile(response, PageRenderer.SHARED_STYLESHEET, "text/css;charset=UTF-8");
            case "center.css" -> PageRenderer.staticFile(response, "privacycenter/static/center.css", "text/css;charset=UTF-8");
            case "mark.svg" -> PageRenderer.staticFile(response, "privacycenter/static/mark.svg", "image/svg+xml");
            default -> {
                if (page.startsWith("brand/") && page.endsWith(".css")) {
                    venueStylesheet(response, page.substring("brand/".length(), page.length() - ".css".length()));
                } else if (page.startsWith(EXPORT + "/")) {
                    exportReady(request, response, page.substring(EXPORT.length() + 1));
                } else {
                    message(request, response, HttpServletResponse.SC_NOT_FOUND, "notFound");
                }
            }
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        request.setCharacterEncoding("UTF-8");
        String page = page(request);
        if (!List.of("request", "code", EXPORT, FOLLOW, CONSENT, PROOF, WITHDRAW).contains(page)) {
            message(request, response, HttpServletResponse.SC_NOT_FOUND, "notFound");
            return;
        }
        if (!spendFormToken(request)) {
            message(request, response, HttpServletResponse.SC_FORBIDDEN, "formRefused");
            return;
        }
        try {
            switch (page) {
                case "request" -> intake(request, response);
                case "code" -> code(request, response);
                case FOLLOW -> challenge(request, response, Purpose.FOLLOW);
                case CONSENT -> challenge(request, response, Purpose.CONSENT);
                case PROOF -> proof(request, response);
                case WITHDRAW -> withdraw(request, response);
                default -> export(request, response);
            }
        } catch (RuntimeException e) {
            ProblemException problem = problemIn(e).orElseThrow(() -> e);
            if (problem.type() != ProblemType.RATE_LIMITED) {
                throw e;
            }
            tooMany(request, response, problem);
        }
    }

    /** The request form, filled again with what the guest typed when something needs fixing. */
    private void start(HttpServletRequest request, HttpServletResponse response, int status, Form form) throws IOException {
        Locale locale = Languages.of(request);
        Map<String, Object> page = common(request, response, locale);
        page.put("form", form);
        page.put("rights", portal.rights());
        page.put("showSwitch", true);
        PAGES.render(response, status, "start", locale, page);
    }

    private void intake(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Form form = new Form();
        form.right = field(request, "right");
        form.email = field(request, "email");
        form.firstName = field(request, "firstName");
        form.lastName = field(request, "lastName");
        form.phone = field(request, "phone");
        form.birthDay = field(request, "birthDay");
        form.birthMonth = field(request, "birthMonth");
        form.birthYear = field(request, "birthYear");
        Right right = Optional.ofNullable(form.right).flatMap(PrivacyCenterServlet::right).orElse(null);
        if (right == null) {
            form.errors.put("right", "error.right");
        }
        if (form.email == null) {
            form.errors.put("email", "error.emailMissing");
        } else {
            try {
                NormalizedEmail.parse(form.email);
            } catch (IllegalArgumentException e) {
                form.errors.put("email", "error.email");
            }
        }
        Map<String, String> corrections = new LinkedHashMap<>();
        if (right == Right.RECTIFICATION) {
            putIfGiven(corrections, "firstName", form.firstName);
            putIfGiven(corrections, "lastName", form.lastName);
            putIfGiven(corrections, "phone", form.phone);
            if (form.birthDay != null || form.birthMonth != null || form.birthYear != null) {
                Optional<LocalDate> born = birthDate(form.birthDay, form.birthMonth, form.birthYear);
                if (born.isEmpty()) {
                    form.errors.put("birthDay", "error.birthDate");
                } else {
                    corrections.put("birthDate", born.get().toString());
                }
            }
            if (corrections.isEmpty() && !form.errors.containsKey("birthDay")) {
                form.errors.put("firstName", "error.corrections");
            }
        }
        if (!form.errors.isEmpty()) {
            start(request, response, HttpServletResponse.SC_BAD_REQUEST, form);
            return;
        }
        String id;
        try {
            id = portal.submit(right, form.email, right == Right.RECTIFICATION ? corrections : null, Languages.of(request),
                    ClientAddress.of(request));
        } catch (RuntimeException e) {
            ProblemException problem = problemIn(e).orElseThrow(() -> e);
            if (problem.type() != ProblemType.VALIDATION) {
                throw e;
            }
            // what the module refuses beyond the checks above (a correction it cannot take): its reason is English and
            // may echo the value, so the page says what to fix in the guest's language instead
            form.errors.put(right == Right.RECTIFICATION ? "firstName" : "email", right == Right.RECTIFICATION ? "error.corrections" : "error.email");
            start(request, response, HttpServletResponse.SC_BAD_REQUEST, form);
            return;
        }
        codePage(request, response, HttpServletResponse.SC_OK, id, right, null);
    }

    private void code(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String id = field(request, "request");
        Right right = Optional.ofNullable(field(request, "right")).flatMap(PrivacyCenterServlet::right).orElse(Right.ACCESS);
        if (id == null || !id.matches("[0-9a-f-]{36}")) {
            message(request, response, HttpServletResponse.SC_NOT_FOUND, "unknownRequest");
            return;
        }
        String code = field(request, "code");
        if (code == null) {
            codePage(request, response, HttpServletResponse.SC_BAD_REQUEST, id, right, PAGES.message(Languages.of(request), "error.codeMissing"));
            return;
        }
        CodeCheck check = portal.verify(id, code.replace(" ", ""), ClientAddress.of(request));
        Locale locale = Languages.of(request);
        switch (check.outcome()) {
            case VERIFIED -> confirmed(request, response, check.request().orElseThrow());
            case WRONG_CODE -> codePage(request, response, HttpServletResponse.SC_BAD_REQUEST, id, right,
                    PAGES.message(locale, "error.codeWrong", check.attemptsLeft()));
            case CODE_NOT_SENT_YET -> codePage(request, response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, id, right,
                    PAGES.message(locale, "error.codeNotSentYet"));
            case EXPIRED -> message(request, response, HttpServletResponse.SC_CONFLICT, "codeExpired");
            case TOO_MANY_WRONG_CODES -> message(request, response, HttpServletResponse.SC_CONFLICT, "tooManyWrongCodes");
            case NOT_WAITING -> message(request, response, HttpServletResponse.SC_CONFLICT, "notWaiting");
            case UNKNOWN_REQUEST -> message(request, response, HttpServletResponse.SC_NOT_FOUND, "unknownRequest");
        }
    }

    private void codePage(HttpServletRequest request, HttpServletResponse response, int status, String id, Right right, String error) throws IOException {
        Locale locale = Languages.of(request);
        Map<String, Object> page = common(request, response, locale);
        page.put("action", "code");
        page.put("hidden", Map.of("request", id, "right", right.name()));
        page.put("submitKey", "code.submit");
        page.put("error", error);
        PAGES.render(response, status, "code", locale, page);
    }

    private void confirmed(HttpServletRequest request, HttpServletResponse response, RequestStatus status) throws IOException {
        Locale locale = Languages.of(request);
        Map<String, Object> page = common(request, response, locale);
        page.put("reference", status.id());
        page.put("right", status.right().name());
        page.put("state", status.state());
        page.put("due", day(status.dueAt(), locale, zone(request)));
        PAGES.render(response, HttpServletResponse.SC_OK, "confirmed", locale, page);
    }

    /** The form that starts a proof: the reference and the address to follow a request, or the address to manage consents. */
    private void prove(HttpServletRequest request, HttpServletResponse response, int status, Purpose purpose, Form form) throws IOException {
        Locale locale = Languages.of(request);
        Map<String, Object> page = common(request, response, locale);
        page.put("form", form);
        page.put("purpose", purpose.name().toLowerCase(Locale.ROOT));
        page.put("showSwitch", true);
        PAGES.render(response, status, "prove", locale, page);
    }

    private void challenge(HttpServletRequest request, HttpServletResponse response, Purpose purpose) throws IOException {
        Form form = new Form();
        form.email = field(request, "email");
        form.reference = field(request, "reference");
        if (purpose == Purpose.FOLLOW) {
            if (form.reference == null) {
                form.errors.put("reference", "error.referenceMissing");
            } else if (!form.reference.toLowerCase(Locale.ROOT).matches(REFERENCE)) {
                form.errors.put("reference", "error.reference");
            }
        }
        if (form.email == null) {
            form.errors.put("email", "error.emailMissing");
        } else {
            try {
                NormalizedEmail.parse(form.email);
            } catch (IllegalArgumentException e) {
                form.errors.put("email", "error.email");
            }
        }
        if (!form.errors.isEmpty()) {
            prove(request, response, HttpServletResponse.SC_BAD_REQUEST, purpose, form);
            return;
        }
        String id = portal.challenge(purpose, purpose == Purpose.FOLLOW ? form.reference.toLowerCase(Locale.ROOT) : null, form.email,
                Languages.of(request), ClientAddress.of(request));
        proofCodePage(request, response, HttpServletResponse.SC_OK, id, purpose, null);
    }

    private void proofCodePage(HttpServletRequest request, HttpServletResponse response, int status, String id, Purpose purpose, String error)
            throws IOException {
        Locale locale = Languages.of(request);
        Map<String, Object> page = common(request, response, locale);
        page.put("action", PROOF);
        page.put("hidden", Map.of("challenge", id, "purpose", purpose.name()));
        page.put("submitKey", "code.submit." + purpose.name().toLowerCase(Locale.ROOT));
        page.put("error", error);
        PAGES.render(response, status, "code", locale, page);
    }

    /** The code of a proof: once right, the session holds the proof, so the page it opens can be shown again for a while. */
    private void proof(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String id = field(request, "challenge");
        Purpose purpose = "CONSENT".equals(field(request, "purpose")) ? Purpose.CONSENT : Purpose.FOLLOW;
        if (id == null || !id.matches(REFERENCE)) {
            message(request, response, HttpServletResponse.SC_NOT_FOUND, "unknownProof");
            return;
        }
        String code = field(request, "code");
        Locale locale = Languages.of(request);
        if (code == null) {
            proofCodePage(request, response, HttpServletResponse.SC_BAD_REQUEST, id, purpose, PAGES.message(locale, "error.codeMissing"));
            return;
        }
        CodeCheck check = portal.confirm(id, code.replace(" ", ""), ClientAddress.of(request));
        switch (check.outcome()) {
            case VERIFIED -> {
                HttpSession session = request.getSession(true);
                request.changeSessionId(); // a proven session gets a new id: one fixed before the proof is worth nothing after it
                session.setAttribute(proofAttribute(purpose), id);
                SessionCookies.sameSiteStrict(response);
                if (purpose == Purpose.FOLLOW) {
                    status(request, response);
                } else {
                    consents(request, response, null);
                }
            }
            case WRONG_CODE -> proofCodePage(request, response, HttpServletResponse.SC_BAD_REQUEST, id, purpose,
                    PAGES.message(locale, "error.codeWrong", check.attemptsLeft()));
            case CODE_NOT_SENT_YET -> proofCodePage(request, response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, id, purpose,
                    PAGES.message(locale, "error.codeNotSentYet"));
            case EXPIRED -> message(request, response, HttpServletResponse.SC_CONFLICT, "proofExpired");
            case TOO_MANY_WRONG_CODES -> message(request, response, HttpServletResponse.SC_CONFLICT, "proofTooManyWrongCodes");
            case NOT_WAITING, UNKNOWN_REQUEST -> message(request, response, HttpServletResponse.SC_NOT_FOUND, "unknownProof");
        }
    }

    /**
     * Where a request stands, for a session that proved the address it was made with. A reference the address did not match
     * shows the same page as a proof that expired: nothing tells whether the reference exists.
     */
    private void status(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<RequestDetail> detail = Optional.ofNullable(proofOf(request, Purpose.FOLLOW)).flatMap(portal::follow);
        if (detail.isEmpty()) {
            message(request, response, HttpServletResponse.SC_NOT_FOUND, "followNothing");
            return;
        }
        Locale locale = Languages.of(request);
        Map<String, Object> page = common(request, response, locale);
        RequestDetail d = detail.get();
        page.put("request", d);
        page.put("received", day(d.receivedAt(), locale, zone(request)));
        page.put("due", day(d.dueAt(), locale, zone(request)));
        page.put("completed", d.completedAt() == null ? null : day(d.completedAt(), locale, zone(request)));
        List<Map<String, String>> steps = new java.util.ArrayList<>();
        for (SubjectPortal.SystemStep step : d.steps()) {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("system", systemName(step.system(), locale));
            row.put("state", switch (step.state()) {
                case "CONFIRMED" -> PAGES.message(locale, "step.CONFIRMED", step.doneAt() == null ? "" : day(step.doneAt(), locale, zone(request)));
                case "AWAITING_OPERATOR" -> PAGES.message(locale, "step.AWAITING_OPERATOR", step.dueAt() == null ? day(d.dueAt(), locale, zone(request))
                        : day(step.dueAt(), locale, zone(request)));
                case "HELD" -> PAGES.message(locale, "step.HELD");
                case "FAILED" -> PAGES.message(locale, "step.FAILED");
                default -> PAGES.message(locale, "step.PENDING");
            });
            row.put("kept", step.keptBecause());
            steps.add(row);
        }
        page.put("steps", steps);
        PAGES.render(response, HttpServletResponse.SC_OK, "status", locale, page);
    }

    /** The consents on record for a session that proved its address, each with its own one-press withdrawal. */
    private void consents(HttpServletRequest request, HttpServletResponse response, String withdrawn) throws IOException {
        Optional<List<ConsentOnRecord>> consents = Optional.ofNullable(proofOf(request, Purpose.CONSENT)).flatMap(portal::consents);
        if (consents.isEmpty()) {
            message(request, response, HttpServletResponse.SC_NOT_FOUND, "proofGone");
            return;
        }
        Locale locale = Languages.of(request);
        Map<String, Object> page = common(request, response, locale);
        List<Map<String, Object>> rows = new java.util.ArrayList<>();
        for (ConsentOnRecord consent : consents.get()) {
            Map<String, Object> row = new HashMap<>();
            row.put("purpose", consent.purpose());
            row.put("purposeName", purposeName(consent.purpose(), locale));
            row.put("decision", PAGES.message(locale, "decision." + consent.decision()));
            row.put("when", DateTimeFormatter.ofPattern(PAGES.message(locale, "time.pattern"), locale).withZone(zone(request))
                    .format(consent.capturedAt()) + ", " + day(consent.capturedAt(), locale, zone(request)));
            row.put("channel", consent.channel());
            row.put("evidence", consent.evidence());
            row.put("wording", consent.wordingText());
            row.put("wordingLanguage", consent.wordingLanguage());
            row.put("wordingVersion", consent.wordingVersion());
            row.put("withdrawable", consent.withdrawable());
            rows.add(row);
        }
        page.put("consents", rows);
        page.put("withdrawn", withdrawn == null ? null : PAGES.message(locale, "consents.withdrawn", purposeName(withdrawn, locale)));
        PAGES.render(response, HttpServletResponse.SC_OK, "consents", locale, page);
    }

    private void withdraw(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String purpose = field(request, "purpose");
        String proof = proofOf(request, Purpose.CONSENT);
        if (proof == null || purpose == null) {
            message(request, response, HttpServletResponse.SC_NOT_FOUND, "proofGone");
            return;
        }
        boolean done = portal.withdraw(proof, purpose);
        consents(request, response, done ? purpose : null);
    }

    private static String proofOf(HttpServletRequest request, Purpose purpose) {
        HttpSession session = request.getSession(false);
        return session == null ? null : (String) session.getAttribute(proofAttribute(purpose));
    }

    private static String proofAttribute(Purpose purpose) {
        return PrivacyCenterServlet.class.getName() + ".proof." + purpose.name();
    }

    /** A purpose in the guest's words; a sponsor's purpose names the sponsor. */
    static String purposeName(String purpose, Locale locale) {
        if (purpose.startsWith("sponsor:")) {
            return PAGES.message(locale, "purpose.sponsor", purpose.substring("sponsor:".length()));
        }
        return PAGES.bundle(locale).containsKey("purpose." + purpose) ? PAGES.message(locale, "purpose." + purpose) : purpose;
    }

    /** A system of the data map in the guest's words where the center has them, else by its name. */
    static String systemName(String system, Locale locale) {
        return PAGES.bundle(locale).containsKey("system." + system) ? PAGES.message(locale, "system." + system) : system;
    }

    /**
     * The page the export link of the outcome mail opens. Opening the copy takes one more press: mail scanners and
     * link previews fetch links, and a fetch must not spend the one-time link before the guest sees it.
     */
    private void exportReady(HttpServletRequest request, HttpServletResponse response, String token) throws IOException {
        if (!token.matches(EXPORT_TOKEN)) {
            message(request, response, HttpServletResponse.SC_NOT_FOUND, "exportGone");
            return;
        }
        Locale locale = Languages.of(request);
        Map<String, Object> page = common(request, response, locale);
        page.put("exportToken", token);
        PAGES.render(response, HttpServletResponse.SC_OK, "export-ready", locale, page);
    }

    /** Spends the one-time link and shows the copy, with its downloads inside the page. */
    private void export(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String token = request.getParameter("export");
        Optional<String> document = token == null || !token.matches(EXPORT_TOKEN) ? Optional.empty()
                : portal.takeExport(token, ClientAddress.of(request));
        if (document.isEmpty()) {
            message(request, response, HttpServletResponse.SC_GONE, "exportGone");
            return;
        }
        Locale locale = Languages.of(request);
        Map<String, Object> page = common(request, response, locale);
        ExportView export = new ExportView(document.get());
        page.put("export", export);
        page.put("generated", export.getGeneratedAt().isEmpty() ? "" : day(Instant.parse(export.getGeneratedAt()), locale, zone(request)));
        PAGES.render(response, HttpServletResponse.SC_OK, "export", locale, page);
    }

    private void tooMany(HttpServletRequest request, HttpServletResponse response, ProblemException problem) throws IOException {
        Locale locale = Languages.of(request);
        long seconds = problem.extensions().get("retryAfterSeconds") instanceof Number n ? n.longValue() : 3600;
        long minutes = Math.max(1, (seconds + 59) / 60);
        Map<String, Object> page = common(request, response, locale);
        page.put("key", "tooMany");
        page.put("detail", PAGES.message(locale, "msg.tooMany.when", minutes,
                DateTimeFormatter.ofPattern(PAGES.message(locale, "time.pattern"), locale).withZone(zone(request)).format(Instant.now().plusSeconds(seconds))));
        response.setHeader("Retry-After", Long.toString(seconds));
        PAGES.render(response, 429, "message", locale, page);
    }

    private void message(HttpServletRequest request, HttpServletResponse response, int status, String key) throws IOException {
        Locale locale = Languages.of(request);
        Map<String, Object> page = common(request, response, locale);
        page.put("key", key);
        page.put("detail", null);
        PAGES.render(response, status, "message", locale, page);
    }

    /** What every page shows: the language switch (the other languages, each in its own words) and a fresh form token. */
    private Map<String, Object> common(HttpServletRequest request, HttpServletResponse response, Locale locale) {
        Map<String, Object> page = new HashMap<>();
        page.put("brand", Brands.of(request, venues));
        page.put("root", request.getContextPath() + ROOT);
        page.put("token", issueFormToken(request));
        SessionCookies.sameSiteStrict(response);
        page.put("tokenField", FormTokens.FIELD);
        Map<String, String> others = new LinkedHashMap<>();
        for (Locale other : Languages.SPOKEN) {
            if (!other.getLanguage().equals(locale.getLanguage())) {
                String name = other.getDisplayLanguage(other);
                others.put(other.getLanguage(), name.substring(0, 1).toUpperCase(other) + name.substring(1));
            }
        }
        page.put("otherLanguages", others);
        page.put("showSwitch", false);
        return page;
    }

    /** The venue's colours; a venue without colours of its own (or no such venue) gets an empty sheet. */
    private void venueStylesheet(HttpServletResponse response, String venueId) throws IOException {
        Brands.Brand brand = Brands.of(venueId, venues);
        PageRenderer.headers(response);
        response.setContentType("text/css;charset=UTF-8");
        response.setHeader("Cache-Control", "public, max-age=300");
        response.getWriter().write(brand.coloured() ? Brands.stylesheet(brand) : "");
    }

    /**
     * The session's form tokens (a session exists only for them, see {@link SessionCookies}); set again after every
     * change so that a session kept outside this JVM sees it.
     */
    private static String issueFormToken(HttpServletRequest request) {
        HttpSession session = request.getSession(true);
        synchronized (session) {
            FormTokens tokens = session.getAttribute(FORM_TOKENS) instanceof FormTokens held ? held : new FormTokens();
            String token = tokens.issue();
            session.setAttribute(FORM_TOKENS, tokens);
            return token;
        }
    }

    /** Spends the token the post carries; false for a post this session did not ask for, or asks for a second time. */
    private static boolean spendFormToken(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session == null) {
            return false;
        }
        synchronized (session) {
            if (!(session.getAttribute(FORM_TOKENS) instanceof FormTokens tokens)) {
                return false;
            }
            boolean spent = tokens.spend(request.getParameter(FormTokens.FIELD));
            session.setAttribute(FORM_TOKENS, tokens);
            return spent;
        }
    }

    /**
     * The time zone of the page's dates: the venue's when the guest came through a venue's link (a due date "by
     * 2 January 2027" is that day where the guest stayed), else the center's configured one.
     */
    private ZoneId zone(HttpServletRequest request) {
        if (request.getAttribute(ZONE) instanceof ZoneId known) {
            return known;
        }
        ZoneId venue = Brands.of(request, venues).zone();
        ZoneId zone = venue != null ? venue : zone();
        request.setAttribute(ZONE, zone);
        return zone;
    }

    /** A date in words in the guest's language ("2 January 2027", "2 janvier 2027") in a time zone. */
    static String day(Instant instant, Locale locale, ZoneId zone) {
        String pattern = instant.atZone(zone).getDayOfMonth() == 1 ? "date.pattern.first-of-month" : "date.pattern";
        return DateTimeFormatter.ofPattern(PAGES.message(locale, pattern), locale).withZone(zone).format(instant);
    }

    private static ZoneId zone() {
        return ConfigProvider.getConfig().getOptionalValue("privacycenter.time-zone", String.class).map(ZoneId::of).orElse(ZoneId.of("UTC"));
    }

    private static String page(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.equals("/privacy") || path.equals(ROOT)) {
            return "";
        }
        return path.startsWith(ROOT) ? path.substring(ROOT.length()) : path;
    }

    private static String field(HttpServletRequest request, String name) {
        String value = request.getParameter(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        value = value.strip();
        return value.length() > MAX_FIELD ? value.substring(0, MAX_FIELD) : value;
    }

    /** Day, month and year as typed in three boxes: a real date, in the past, not before 1900. */
    static Optional<LocalDate> birthDate(String day, String month, String year) {
        if (day == null || month == null || year == null || !day.matches("\\d{1,2}") || !month.matches("\\d{1,2}") || !year.matches("\\d{4}")) {
            return Optional.empty();
        }
        try {
            LocalDate date = LocalDate.of(Integer.parseInt(year), Integer.parseInt(month), Integer.parseInt(day));
            return date.getYear() >= 1900 && date.isBefore(LocalDate.now(java.time.ZoneOffset.UTC)) ? Optional.of(date) : Optional.empty();
        } catch (java.time.DateTimeException e) {
            return Optional.empty();
        }
    }

    private static void putIfGiven(Map<String, String> corrections, String name, String value) {
        if (value != null) {
            corrections.put(name, value);
        }
    }

    private static Optional<Right> right(String value) {
        for (Right right : Right.values()) {
            if (right.name().equals(value)) {
                return Optional.of(right);
            }
        }
        return Optional.empty();
    }

    private static Optional<ProblemException> problemIn(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof ProblemException problem) {
                return Optional.of(problem);
            }
        }
        return Optional.empty();
    }

    /** What the guest typed into the request form, and what needs fixing (field name to message key). */
    public static final class Form {
        String right;
        String email;
        String firstName;
        String lastName;
        String phone;
        String reference;
        String birthDay;
        String birthMonth;
        String birthYear;
        final Map<String, String> errors = new LinkedHashMap<>();

        public String getRight() {
            return right;
        }

        public String getEmail() {
            return email;
        }

        public String getFirstName() {
            return firstName;
        }

        public String getLastName() {
            return lastName;
        }

        public String getPhone() {
            return phone;
        }

        public String getBirthDay() {
            return birthDay;
        }

        public String getBirthMonth() {
            return birthMonth;
        }

        public String getBirthYear() {
            return birthYear;
        }

        public String getReference() {
            return reference;
        }

        public Map<String, String> getErrors() {
            return errors;
        }
    }
}
