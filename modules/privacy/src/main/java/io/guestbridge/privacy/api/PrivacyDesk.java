package io.guestbridge.privacy.api;

import io.guestbridge.platform.api.Roles;

import jakarta.json.JsonObject;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What staff do with data-subject requests, for channels other than the JSON API (the console): the same life
 * cycle, the same checks and the same audit records as the management API's resource, and the same roles per
 * action ({@link Action}). Every call names the person acting ({@link Staff}); one whose roles do not allow the
 * action is refused with a forbidden {@code ProblemException} before anything happens. Refusals of the life cycle
 * (a request not in a state that allows the action) are conflict or validation {@code ProblemException}s.
 */
public interface PrivacyDesk {

    /** What staff may do, and which roles may do it (the management API's resource allows the same roles). */
    enum Action {
        VIEW(Roles.DPO, Roles.OPERATOR, Roles.COMPLIANCE_OFFICER),
        APPROVE(Roles.DPO),
        REJECT(Roles.DPO),
        EXTEND(Roles.DPO),
        CONFIRM_STEP(Roles.OPERATOR, Roles.DPO),
        RESUME_STEP(Roles.OPERATOR, Roles.DPO),
        /** As the management API's search of a guest by email. */
        LOOK_UP_GUEST(Roles.DPO),
        VIEW_DATA_MAP(Roles.DPO, Roles.COMPLIANCE_OFFICER, Roles.OPERATOR),
        RECORD_OF_PROCESSING(Roles.DPO, Roles.COMPLIANCE_OFFICER),
        /** As the management API's certificate download. */
        CERTIFICATE(Roles.DPO, Roles.COMPLIANCE_OFFICER);

        private final Set<String> roles;

        Action(String... roles) {
            this.roles = Set.of(roles);
        }

        public Set<String> roles() {
            return roles;
        }

        public boolean allowedFor(Set<String> held) {
            return held.stream().anyMatch(roles::contains);
        }
    }

    /** The person acting: their audit actor name (see {@code Actor}) and their roles. */
    record Staff(String actor, Set<String> roles) {
        public Staff {
            roles = Set.copyOf(roles);
        }
    }

    /** Which requests a list shows: open ones, those due within seven days, overdue ones, or one state. */
    enum Due { ANY, WITHIN_7_DAYS, OVERDUE }

    /**
     * @param states the states to show; empty for every open state
     * @param types  the request types to show (ERASURE, ACCESS, RECTIFICATION, OBJECTION, OPT_OUT); empty for all
     */
    record Filter(Set<String> states, Set<String> types, Due due, int limit) {
        public Filter {
            states = Set.copyOf(states);
            types = Set.copyOf(types);
            if (limit < 1 || limit > 500) {
                throw new IllegalArgumentException("limit must be 1 to 500");
            }
        }
    }

    /** The counts the overview shows. */
    record Counts(long open, long dueWithin7Days, long overdue) {
    }

    /**
     * A request as staff see it: no personal data. {@code regime} is the law it is answered under (GDPR, UK_GDPR or CCPA),
     * whose clock set {@code dueAt}.
     */
    record Request(String id, String type, String regime, String channel, String state, Instant receivedAt, Instant dueAt, long daysLeft, boolean overdue,
                   String extendedReason, String verifiedBy, Instant verifiedAt, Instant completedAt, String duplicateOf, String outcome,
                   List<Step> steps, List<Event> history) {
    }

    /** One system's step: {@code state} is PENDING, AWAITING_OPERATOR, CONFIRMED, HELD or FAILED. */
    record Step(String system, String kind, String state, int attempts, String evidence, Instant confirmedAt, Instant taskDueAt) {
    }

    record Event(Instant at, String state, String note) {
    }

    /**
     * What this database holds about the person of one email address, as their access export would show it: each
     * module's part (the profile with each value's source, consents with their evidence, visits, CRM links…) and
     * the privacy requests of that address. {@code guestId} is null when no guest profile has the address.
     */
    record GuestFile(String guestId, Map<String, JsonObject> held, List<Request> requests) {
        public GuestFile {
            held = Map.copyOf(held);
            requests = List.copyOf(requests);
        }
    }

    /**
     * One system of the data map: what it holds, why, how long, who receives it, and a legal hold if one keeps data
     * from erasure. {@code kind} is LOCAL, CRM, PURPLE, JDBC or MANUAL.
     */
    record DataMapSystem(String name, String kind, List<String> categories, List<String> purposes, String retention, List<String> recipients,
                         String legalHold) {
    }

    /** The states a request can be in, in the order of its life. */
    List<String> states();

    /** The states in which the statutory clock runs. */
    Set<String> openStates();

    Counts counts(Staff staff);

    /** Requests soonest due first. */
    List<Request> list(Filter filter, Staff staff);

    Optional<Request> find(String id, Staff staff);

    Request approve(String id, Staff staff);

    /** {@code reason} is told to the subject: 1 to 300 characters, no personal data. */
    Request reject(String id, String reason, Staff staff);

    /** A GDPR or UK GDPR request's one extension, by 1 or 2 months, before the first month ends; {@code reason} is told to the subject. */
    Request extend(String id, int months, String reason, Staff staff);

    /** A CCPA request's one extension, by 45 days, before the first 45 end; {@code reason} is told to the subject. */
    Request extendByDays(String id, int days, String reason, Staff staff);

    /** A manual step done, with what was done as evidence (1 to 300 characters, no personal data). */
    Request confirmStep(String id, String system, String evidence, Staff staff);

    /** Runs a pending step again now; false when the request has no such pending step. */
    boolean resumeStep(String id, String system, Staff staff);

    /**
     * Everything held about the person of an email address, for staff answering them; empty when neither a guest
     * profile nor a request has the address. Audited (GUEST_LOOKED_UP, about the guest) with the person as actor;
     * the address itself is in no log and no audit record. A malformed address is a validation problem.
     */
    Optional<GuestFile> lookUpGuest(String email, Staff staff);

    /** The controller the Art. 30 record names. */
    String controller(Staff staff);

    /** Every system that holds guest data, as the data map registers it (the steps of every request follow it). */
    List<DataMapSystem> dataMap(Staff staff);

    /**
     * The signed certificate of an ended request, as JSON (the management API's download, the README's format): a
     * conflict {@code ProblemException} while it is not issuable, saying why and when to ask again.
     */
    String certificate(String id, Staff staff);

    /** The Art. 30 record of processing as CSV, as the management API serves it. */
    String recordOfProcessingCsv(Staff staff);

    /** The same Art. 30 record, for a printable document. */
    ProcessingRecord recordOfProcessing(Staff staff);

    /**
     * The record of processing activities (Art. 30(1)): the controller and the DPO's contact, the categories of data subjects,
     * the systems of the data map, every recipient, the retention of each category the system purges by itself, and the
     * security measures.
     */
    record ProcessingRecord(String controller, String controllerContact, String dpoContact, String subjectCategories, List<DataMapSystem> systems,
                            List<RecordRecipient> recipients, List<RecordRetention> retention, List<String> securityMeasures) {
    }

    /**
     * A recipient of guest data: {@code kind} CRM, SPONSOR, PROCESSOR or OTHER (one a system of the data map names); {@code transfer} the third country outside the EEA its
     * data goes to (null when none) with the {@code safeguards} configured for it (null when none is: a gap to close).
     */
    record RecordRecipient(String name, String kind, List<String> categories, String purpose, String basis, String transfer, String safeguards) {
    }

    /** How long one category of data is kept before the system purges it by itself. */
    record RecordRetention(String category, String description, long days, boolean configured) {
    }
}
