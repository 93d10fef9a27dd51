package io.guestbridge.audit.api;

import io.guestbridge.platform.api.Redaction;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * What happened, for the audit trail: who did it, what, in which module, to which pseudonymous
 * subject, with details that contain no personal data. The constructor refuses anything that looks
 * like personal data (an email, a phone number, a MAC, a token), so the rule does not depend on every
 * caller remembering it.
 *
 * @param actor      who acted, see {@link Actor}
 * @param action     what happened, UPPER_SNAKE_CASE, e.g. {@code CONSENT_WITHDRAWN}
 * @param module     the module that acted, e.g. {@code consent}
 * @param subjectRef the pseudonymous subject, e.g. {@code guest:0190c8a4-…}; null when none
 * @param details    facts without personal data (ids, counts, outcomes, hashes)
 */
public record AuditEvent(String actor, String action, String module, String subjectRef, Map<String, String> details) {

    private static final Pattern ACTION = Pattern.compile("[A-Z][A-Z0-9_]{1,63}");
    private static final Pattern MODULE = Pattern.compile("[a-z][a-z0-9-]{1,31}");
    private static final Pattern DETAIL_KEY = Pattern.compile("[a-zA-Z][a-zA-Z0-9_.-]{0,63}");
    /**
     * Short actors and detail values already found free of personal data. A batch records the same few values on every
     * record (a connector, an operation, the properties sent), and the personal-data check, a handful of regular
     * expressions, was most of the cost of recording an event. Only values that passed are kept: by that check they hold
     * no personal data. Bounded: emptied when full.
     */
    private static final Map<String, Boolean> CLEAN = new ConcurrentHashMap<>();
    private static final int CLEAN_MAX_ENTRIES = 4096;
    private static final int CLEAN_MAX_LENGTH = 256;
    /**
     * Actions, modules and detail keys that passed their pattern. The code names a few dozen of each, and every event
     * matched its three kinds of name again (with a bulk operation's thousands of events, a few percent of the server's
     * CPU). Bounded as {@link #CLEAN}.
     */
    private static final Map<String, Boolean> ACTIONS = new ConcurrentHashMap<>();
    private static final Map<String, Boolean> MODULES = new ConcurrentHashMap<>();
    private static final Map<String, Boolean> DETAIL_KEYS = new ConcurrentHashMap<>();
    private static final int NAMES_MAX_ENTRIES = 1024;

    public AuditEvent {
        require(actor != null && !actor.isBlank() && actor.length() <= 128 && clean(actor),
                "actor must be an id of at most 128 characters without personal data");
        require(action != null && named(ACTIONS, ACTION, action), "action must be UPPER_SNAKE_CASE: " + action);
        require(module != null && named(MODULES, MODULE, module), "module must be a lower-case module name: " + module);
        require(subjectRef == null || isSubjectRef(subjectRef),
                "subject must be a pseudonymous reference such as guest:<id>");
        details = Collections.unmodifiableMap(new TreeMap<>(details == null ? Map.of() : details));
        for (Map.Entry<String, String> detail : details.entrySet()) {
            require(named(DETAIL_KEYS, DETAIL_KEY, detail.getKey()), "detail key is not a plain name: " + detail.getKey());
            require(detail.getValue() != null && detail.getValue().length() <= 1000,
                    "detail " + detail.getKey() + " must be a value of at most 1000 characters");
            require(clean(detail.getValue()),
                    "detail " + detail.getKey() + " looks like personal data; the audit trail takes ids and hashes only");
        }
    }

    /**
     * Whether the text is a pseudonymous reference, {@code [a-z][a-z-]{0,15}:[A-Za-z0-9._:-]{1,63}}, checked by hand:
     * nearly every event has a subject, each one different, and matching the pattern was most of the cost of making an
     * event in the three-CRM sync's profile. Package-visible for the test that holds it to the pattern.
     */
    static boolean isSubjectRef(String text) {
        int colon = text.indexOf(':');
        if (colon < 1 || colon > 16 || text.length() - colon - 1 < 1 || text.length() - colon - 1 > 63) {
            return false;
        }
        char first = text.charAt(0);
        if (first < 'a' || first > 'z') {
            return false;
        }
        for (int i = 1; i < colon; i++) {
            char c = text.charAt(i);
            if ((c < 'a' || c > 'z') && c != '-') {
                return false;
            }
        }
        for (int i = colon + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (c < '0' || c > '9') && c != '.' && c != '_' && c != ':' && c != '-') {
                return false;
            }
        }
        return true;
    }

    /** Starts an event of {@code module}: {@code AuditEvent.of("consent", "CONSENT_WITHDRAWN").by(actor)…}. */
    public static Builder of(String module, String action) {
        return new Builder(module, action);
    }

    /** Whether the text carries no personal data ({@link Redaction#containsPersonalData}), remembered for short clean values. */
    private static boolean clean(String text) {
        if (CLEAN.containsKey(text)) {
            return true;
        }
        if (Redaction.containsPersonalData(text)) {
            return false;
        }
        if (text.length() <= CLEAN_MAX_LENGTH) {
            if (CLEAN.size() >= CLEAN_MAX_ENTRIES) {
                CLEAN.clear();
            }
            CLEAN.put(text, Boolean.TRUE);
        }
        return true;
    }

    /** Whether the name has the pattern's form, remembered among {@code passed} when it has. */
    private static boolean named(Map<String, Boolean> passed, Pattern form, String name) {
        if (passed.containsKey(name)) {
            return true;
        }
        if (!form.matcher(name).matches()) {
            return false;
        }
        if (passed.size() >= NAMES_MAX_ENTRIES) {
            passed.clear();
        }
        passed.put(name, Boolean.TRUE);
        return true;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException("audit event: " + message);
        }
    }

    /** Fluent construction; {@link #build()} validates. */
    public static final class Builder {
        private final String module;
        private final String action;
        private String actor;
        private String subjectRef;
        private final Map<String, String> details = new TreeMap<>();

        private Builder(String module, String action) {
            this.module = module;
            this.action = action;
        }

        public Builder by(String actor) {
            this.actor = actor;
            return this;
        }

        public Builder about(String subjectRef) {
            this.subjectRef = subjectRef;
            return this;
        }

        public Builder with(String key, Object value) {
            details.put(key, String.valueOf(value));
            return this;
        }

        public AuditEvent build() {
            return new AuditEvent(actor, action, module, subjectRef, details);
        }
    }
}
