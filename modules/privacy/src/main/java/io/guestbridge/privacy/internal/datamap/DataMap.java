package io.guestbridge.privacy.internal.datamap;

import io.guestbridge.crmsync.api.CrmErasure;
import io.guestbridge.crmsync.api.Sponsors;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The registry of every system that holds guest data (GDPR Art. 30 asks for a record of processing; an erasure must reach every system on it):
 * this database, each enabled CRM connector, and the systems named in {@code privacy.systems} — the WiFi
 * platform (Purple's API), a data warehouse reached by a JDBC statement, and systems without an API
 * whose deletion an operator confirms by hand. Each entry carries its data categories, purposes,
 * retention and recipients: the same entries drive the steps of a request and make the Art. 30 record.
 *
 * <p>Configuration, per system {@code privacy.system.<name>.}: {@code kind} (purple, jdbc, manual),
 * {@code categories}, {@code purposes}, {@code retention}, {@code recipients} (comma-separated), {@code hold}
 * (an Art. 17(3) exemption: the rationale for keeping the system's data on erasure), and the kind's own
 * settings (Purple: base-url, company-id, token; jdbc: jdbc-url, user, password, statement; manual: task,
 * task-days). "local" and the CRM connectors' names take the descriptive keys too. This database's recipients are, unless
 * configured, each CRM connector, each sponsor and each processor ({@code privacy.processors}); the complete Art. 30 record
 * is {@code staff.RecordOfProcessing}.
 */
@ApplicationScoped
public class DataMap {

    public static final String LOCAL = "local";

    public enum Kind {
        /** This database: erased in one transaction, exported through every module's SubjectAccess. */
        LOCAL(),
        /** A CRM connector of the crmsync module (its settings are the connector's, {@code crm.<name>.}). */
        CRM(),
        /** The WiFi platform's API (Purple Company API): look the visitor up by email, delete it. */
        PURPLE("base-url", "company-id", "token"),
        /** A data warehouse: a configured DELETE statement over JDBC, the email bound to each parameter. */
        JDBC("jdbc-url", "user", "password", "statement"),
        /** A system without an API: an operator deletes and confirms, against a deadline. */
        MANUAL("task", "task-days");

        /**
         * The kind's own settings, {@code privacy.system.<name>.<key>}: only these are read (each setting read is a look
         * through every configuration source, and an erasure step reads its system's entry).
         */
        private final List<String> settings;

        Kind(String... settings) {
            this.settings = List.of(settings);
        }
    }

    /** One system of the map. {@code hold} is the Art. 17(3) rationale when its data is kept on erasure. */
    public record Entry(String name, Kind kind, List<String> categories, List<String> purposes, String retention, List<String> recipients,
                        Optional<String> hold, Map<String, String> settings) {

        public String setting(String key) {
            String value = settings.get(key);
            if (value == null || value.isBlank()) {
                throw new IllegalStateException("privacy.system." + name + "." + key + " is not configured");
            }
            return value.strip();
        }
    }

    @Inject
    Config config;

    @Inject
    CrmErasure crms;

    @Inject
    Sponsors sponsors;

    /** Every system, this database first. Read on each call: connectors are enabled and disabled at run time. */
    public List<Entry> systems() {
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, Kind> system : kinds().entrySet()) {
            entries.add(entry(system.getKey(), system.getValue()));
        }
        return entries;
    }

    /**
     * One system, built alone: an erasure step asks for its own system four times a request, and building every entry
     * for it read some eighty settings and the sponsors' table each time.
     */
    public Optional<Entry> system(String name) {
        Kind kind = kinds().get(name);
        return kind == null ? Optional.empty() : Optional.of(entry(name, kind));
    }

    /**
     * Every system but this database, described, in the map's order: what an erasure's steps beside its local one are
     * made from (this database's entry reads the sponsors for its recipients, which a step does not need).
     */
    public List<Entry> otherSystems() {
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, Kind> system : kinds().entrySet()) {
            if (system.getValue() != Kind.LOCAL) {
                entries.add(entry(system.getKey(), system.getValue()));
            }
        }
        return entries;
    }

    /**
     * Every system's name and kind, this database first, without their descriptions (which read the sponsors for this
     * database's recipients): what an erasure's steps are made from.
     */
    public Map<String, Kind> kinds() {
        Map<String, Kind> kinds = new LinkedHashMap<>();
        kinds.put(LOCAL, Kind.LOCAL);
        for (String connector : crms.connectors()) {
            kinds.put(connector, Kind.CRM);
        }
        for (String name : list(config.getOptionalValue("privacy.systems", String.class).orElse(""))) {
            String kind = value(name, "kind", "");
            Kind parsed;
            try {
                parsed = Kind.valueOf(kind.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("privacy.system." + name + ".kind must be purple, jdbc or manual, not '" + kind + "'");
            }
            if (parsed == Kind.LOCAL || parsed == Kind.CRM) {
                throw new IllegalStateException("privacy.system." + name + ".kind must be purple, jdbc or manual");
            }
            kinds.putIfAbsent(name, parsed);
        }
        return kinds;
    }

    private Entry entry(String name, Kind kind) {
        return switch (kind) {
            // what leaves this database goes to each CRM connector, each sponsor (for the guests who consented to it) and the processors
            case LOCAL -> {
                List<String> recipients = new ArrayList<>(crms.connectors());
                sponsors.recipients().forEach(sponsor -> recipients.add(sponsorLabel(sponsor)));
                recipients.addAll(processors());
                yield entry(LOCAL, Kind.LOCAL, "identity, contact details, device identifiers, visits, stays, consent records",
                        "guest WiFi service, visit analytics, CRM synchronisation, direct marketing where consented, sharing with sponsors where consented",
                        "while the guest keeps visiting; erased on request", String.join(", ", recipients));
            }
            case CRM -> entry(name, Kind.CRM, "identity, contact details, visit summary, marketing consent",
                    "customer relationship management, direct marketing where consented", "per the CRM owner's policy", name);
            default -> entry(name, kind, "", "", "", "");
        };
    }

    private Entry entry(String name, Kind kind, String categories, String purposes, String retention, String recipients) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String key : kind.settings) {
            config.getOptionalValue("privacy.system." + name + "." + key, String.class).ifPresent(v -> settings.put(key, v));
        }
        return new Entry(name, kind, list(value(name, "categories", categories)), list(value(name, "purposes", purposes)),
                value(name, "retention", retention), list(value(name, "recipients", recipients)),
                config.getOptionalValue("privacy.system." + name + ".hold", String.class).map(String::strip).filter(s -> !s.isEmpty()),
                Map.copyOf(settings));
    }

    private String value(String system, String key, String fallback) {
        return config.getOptionalValue("privacy.system." + system + "." + key, String.class).orElse(fallback);
    }

    private static List<String> list(String value) {
        return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** A sponsor as the data map and the Art. 30 record name it (without commas: the map's recipients are a comma-separated list). */
    public static String sponsorLabel(Sponsors.Recipient sponsor) {
        return sponsor.name().replace(",", "") + " (sponsor " + sponsor.id() + ")";
    }

    /** The processors named in {@code privacy.processors}: recipients that are not systems an erasure reaches by itself. */
    public List<String> processors() {
        return list(config.getOptionalValue("privacy.processors", String.class).orElse(""));
    }

    /** The controller named in the Art. 30 record and the Art. 15(1) information. */
    public String controller() {
        return config.getOptionalValue("privacy.controller", String.class).orElse("the operator of this guestbridge installation");
    }
}
