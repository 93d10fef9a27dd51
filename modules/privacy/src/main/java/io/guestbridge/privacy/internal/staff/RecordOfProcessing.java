package io.guestbridge.privacy.internal.staff;

import io.guestbridge.crmsync.api.Sponsors;
import io.guestbridge.platform.api.Csv;
import io.guestbridge.privacy.api.PrivacyDesk;
import io.guestbridge.privacy.internal.datamap.DataMap;
import io.guestbridge.privacy.internal.retention.RetentionRunner;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The record of processing activities (GDPR Art. 30(1)), made from what the system knows rather than kept by hand: the
 * controller and the DPO's contact, the categories of data subjects, each system of the data map with its categories of
 * data, purposes and retention, every recipient — each CRM connector, each sponsor under its agreement, each processor —
 * with its transfer outside the EEA and the safeguard for it, the retention of each category the retention runner purges,
 * and the security measures.
 *
 * <p>Configuration: {@code privacy.controller}, {@code privacy.controller.contact}, {@code privacy.dpo.name} and
 * {@code privacy.dpo.email} (the DPO's contact), {@code privacy.subject-categories}, {@code privacy.processors} (names) with
 * {@code privacy.processor.<name>.service}; per recipient (a connector's name, a sponsor's id, a processor's name)
 * {@code privacy.recipient.<name>.transfer} (the third country, when its data leaves the EEA) and
 * {@code privacy.recipient.<name>.safeguards} (Art. 46: e.g. standard contractual clauses, an adequacy decision);
 * {@code privacy.security-measures} (separated by ';') replaces the measures this system takes by itself.
 */
@ApplicationScoped
public class RecordOfProcessing {

    static final String SUBJECT_CATEGORIES = "guests and visitors who log in to the venues' WiFi; guests whose bookings the venues' "
            + "systems send; people who make a privacy request";

    /** What guestbridge itself does to protect the data (Art. 32), stated for the record when configuration says nothing else. */
    static final List<String> SECURITY_MEASURES = List.of(
            "personal data encrypted at rest per guest (AES-GCM), the guest's key destroyed on erasure; keys kept apart from the data",
            "emails found through a keyed blind index; device MACs kept only as keyed hashes",
            "raw inbound payloads sealed under a key per day, destroyed when their retention ends",
            "inbound webhooks authenticated per source (HMAC signatures, or a secret per source for senders that cannot sign)",
            "staff access by OpenID Connect with roles; every change to personal data, consent, sync or a privacy request audited",
            "an append-only, hash-chained audit trail with signed checkpoints, holding ids and hashes only",
            "outbound connections over HTTPS only (loopback excepted)");

    /** A recipient of guest data: who, what kind, what it receives and why, and where the data goes. */
    record Recipient(String name, String kind, List<String> categories, String purpose, String basis, Optional<String> transfer,
                     Optional<String> safeguards) {
    }

    @Inject
    Config config;

    @Inject
    DataMap dataMap;

    @Inject
    Sponsors sponsors;

    @Inject
    RetentionRunner retention;

    String controllerContact() {
        return value("privacy.controller.contact").orElse("");
    }

    String dpoContact() {
        Optional<String> name = value("privacy.dpo.name");
        Optional<String> email = value("privacy.dpo.email");
        return name.isPresent() && email.isPresent() ? name.get() + " <" + email.get() + ">" : name.or(() -> email).orElse("");
    }

    String subjectCategories() {
        return value("privacy.subject-categories").orElse(SUBJECT_CATEGORIES);
    }

    List<String> securityMeasures() {
        return value("privacy.security-measures").map(v -> Arrays.stream(v.split(";")).map(String::strip).filter(s -> !s.isEmpty()).toList())
                .orElse(SECURITY_MEASURES);
    }

    /** Every recipient: the CRM connectors, the sponsors, the processors. */
    List<Recipient> recipients() {
        List<Recipient> all = new ArrayList<>();
        for (DataMap.Entry system : dataMap.systems()) {
            if (system.kind() == DataMap.Kind.CRM) {
                all.add(recipient(system.name(), "CRM", system.categories(), String.join("; ", system.purposes()),
                        "the controller's own CRM account, run by the CRM vendor as processor", system.name()));
            }
        }
        for (Sponsors.Recipient sponsor : sponsors.recipients()) {
            all.add(recipient(DataMap.sponsorLabel(sponsor), "SPONSOR", sponsor.sharedFields(), sponsor.purpose(),
                    "each guest's own consent (" + sponsor.consentPurpose() + "); agreement " + sponsor.agreementRef() + " from " + sponsor.startsAt()
                            + (sponsor.endsAt() == null ? ", open-ended" : " until " + sponsor.endsAt())
                            + (sponsor.inForce() ? ", in force" : ", not in force: nothing is shared"), sponsor.id()));
        }
        for (String processor : dataMap.processors()) {
            all.add(recipient(processor, "PROCESSOR", List.of(), value("privacy.processor." + processor + ".service").orElse(""),
                    "processor under Art. 28", processor));
        }
        // a recipient the data map names for a system (privacy.system.<name>.recipients) is one too, whatever it is
        Set<String> named = all.stream().map(Recipient::name).collect(Collectors.toCollection(HashSet::new));
        for (DataMap.Entry system : dataMap.systems()) {
            for (String recipient : system.recipients()) {
                if (named.add(recipient)) {
                    all.add(recipient(recipient, "OTHER", system.categories(), String.join("; ", system.purposes()),
                            "named as a recipient of " + system.name() + " in the data map", recipient));
                }
            }
        }
        return all;
    }

    /** {@code key}: the recipient's name in configuration (a connector's or processor's name, a sponsor's id). */
    private Recipient recipient(String name, String kind, List<String> categories, String purpose, String basis, String key) {
        return new Recipient(name, kind, categories, purpose, basis, value("privacy.recipient." + key + ".transfer"),
                value("privacy.recipient." + key + ".safeguards"));
    }

    /** The record as the printable document shows it. */
    PrivacyDesk.ProcessingRecord document() {
        return new PrivacyDesk.ProcessingRecord(dataMap.controller(), controllerContact(), dpoContact(), subjectCategories(),
                dataMap.systems().stream().map(s -> new PrivacyDesk.DataMapSystem(s.name(), s.kind().name(), s.categories(), s.purposes(), s.retention(),
                        s.recipients(), s.hold().orElse(null))).toList(),
                recipients().stream().map(r -> new PrivacyDesk.RecordRecipient(r.name(), r.kind(), r.categories(), r.purpose(), r.basis(),
                        r.transfer().orElse(null), r.transfer().isPresent() ? r.safeguards().orElse(null) : null)).toList(),
                retention.policies().stream().map(p -> new PrivacyDesk.RecordRetention(p.category(), p.description(), p.retentionDays(), p.configured()))
                        .toList(),
                securityMeasures());
    }

    /**
     * The record as CSV, one table: a row per system of the data map (as before, so the first columns keep their meaning), then
     * a row per recipient that is not itself a system (SPONSOR, PROCESSOR, and OTHER for one a system names), per retention category (RETENTION) and per security
     * measure (SECURITY). The controller and the DPO's contact are on every row, as the controller always was.
     */
    public String csv() {
        StringBuilder csv = new StringBuilder("controller,system,kind,categories of data,purposes,recipients,retention,erasure,legal hold,"
                + "controller contact,dpo contact,categories of subjects,transfer outside the EEA,safeguards,details\r\n");
        List<Recipient> recipients = recipients();
        for (DataMap.Entry s : dataMap.systems()) {
            Optional<Recipient> asRecipient = recipients.stream().filter(r -> r.kind().equals("CRM") && r.name().equals(s.name())).findFirst();
            row(csv, s.name(), s.kind().name(), String.join("; ", s.categories()), String.join("; ", s.purposes()), String.join("; ", s.recipients()),
                    s.retention(), s.kind() == DataMap.Kind.MANUAL ? "operator task" : "automatic", s.hold().orElse(""),
                    transfer(asRecipient.flatMap(Recipient::transfer)), safeguards(asRecipient), asRecipient.map(Recipient::basis).orElse(""));
        }
        for (Recipient r : recipients) {
            if (!r.kind().equals("CRM")) {
                row(csv, r.name(), r.kind(), String.join("; ", r.categories()), r.purpose(), r.name(), "", r.kind().equals("SPONSOR")
                        ? "the sponsor's, under its agreement" : r.kind().equals("PROCESSOR") ? "on the controller's instruction" : "", "", transfer(r.transfer()), safeguards(Optional.of(r)), r.basis());
            }
        }
        for (RetentionRunner.Policy policy : retention.policies()) {
            row(csv, policy.category(), "RETENTION", "", "", "", policy.retentionDays() + " days" + (policy.configured() ? "" : " (default)"),
                    "automatic", "", "", "", policy.description());
        }
        for (String measure : securityMeasures()) {
            row(csv, "security", "SECURITY", "", "", "", "", "", "", "", "", measure);
        }
        return csv.toString();
    }

    private static String transfer(Optional<String> transfer) {
        return transfer.orElse("none");
    }

    /** A transfer without a configured safeguard is stated as such: the record shows the gap instead of hiding it. */
    private static String safeguards(Optional<Recipient> recipient) {
        if (recipient.isEmpty() || recipient.get().transfer().isEmpty()) {
            return "";
        }
        return recipient.get().safeguards().orElse("NONE CONFIGURED (privacy.recipient.<name>.safeguards)");
    }

    private void row(StringBuilder csv, String system, String kind, String categories, String purposes, String recipients, String retention,
                     String erasure, String hold, String transfer, String safeguards, String details) {
        csv.append(String.join(",", List.of(Csv.cell(dataMap.controller()), Csv.cell(system), Csv.cell(kind), Csv.cell(categories), Csv.cell(purposes),
                Csv.cell(recipients), Csv.cell(retention), Csv.cell(erasure), Csv.cell(hold), Csv.cell(controllerContact()), Csv.cell(dpoContact()),
                Csv.cell(subjectCategories()), Csv.cell(transfer), Csv.cell(safeguards), Csv.cell(details)))).append("\r\n");
    }

    private Optional<String> value(String key) {
        return config.getOptionalValue(key, String.class).map(String::strip).filter(v -> !v.isEmpty());
    }
}
