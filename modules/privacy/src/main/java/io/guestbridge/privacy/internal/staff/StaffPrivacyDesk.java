package io.guestbridge.privacy.internal.staff;

import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditTrail;
import io.guestbridge.identity.api.GuestDirectory;
import io.guestbridge.identity.api.GuestId;
import io.guestbridge.identity.api.NormalizedEmail;
import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.ProblemException;
import io.guestbridge.platform.api.Roles;
import io.guestbridge.privacy.api.PrivacyDesk;
import io.guestbridge.privacy.internal.datamap.DataMap;
import io.guestbridge.privacy.internal.exports.SubjectExports;
import io.guestbridge.privacy.internal.lifecycle.PrivacyRequests;
import io.guestbridge.privacy.internal.requests.RequestCertificates;
import io.guestbridge.privacy.internal.requests.RequestRecords;
import io.guestbridge.privacy.internal.requests.RequestState;
import io.guestbridge.privacy.internal.requests.RequestType;
import io.guestbridge.privacy.internal.steps.RequestSteps;
import io.guestbridge.privacy.internal.suppression.SuppressionList;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@link PrivacyDesk} on the request life cycle of {@link PrivacyRequests} and {@link RequestSteps}, the services the
 * management API's {@link PrivacyResource} calls, with the same input checks: the console and the API cannot differ.
 */
@ApplicationScoped
public class StaffPrivacyDesk implements PrivacyDesk {

    private static final Set<String> TYPES = Arrays.stream(RequestType.values()).map(Enum::name).collect(Collectors.toUnmodifiableSet());

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Inject
    PrivacyRequests requests;

    @Inject
    RequestCertificates certificates;

    @Inject
    RequestSteps steps;

    @Inject
    RequestRecords records;

    @Inject
    SubjectExports exports;

    @Inject
    GuestDirectory guests;

    @Inject
    SuppressionList hashes;

    @Inject
    AuditTrail trail;

    @Inject
    DataMap dataMap;

    @Inject
    RecordOfProcessing record;

    @Override
    public List<String> states() {
        return Arrays.stream(RequestState.values()).map(Enum::name).toList();
    }

    @Override
    public Set<String> openStates() {
        return RequestState.OPEN.stream().map(Enum::name).collect(Collectors.toUnmodifiableSet());
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public Counts counts(Staff staff) {
        allow(Action.VIEW, staff);
        Instant now = Instant.now();
        RequestRecords.OpenCounts counts = records.openCounts(now, now.plus(Duration.ofDays(7)));
        return new Counts(counts.open(), counts.dueSoon(), counts.overdue());
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Request> list(Filter filter, Staff staff) {
        allow(Action.VIEW, staff);
        Set<String> states = filter.states().isEmpty() ? openStates() : filter.states();
        for (String state : states) {
            if (!states().contains(state)) {
                throw ProblemException.invalid("state must be one of " + states() + ".");
            }
        }
        for (String type : filter.types()) {
            if (!TYPES.contains(type)) {
                throw ProblemException.invalid("type must be one of " + TYPES + ".");
            }
        }
        List<Object> parameters = new ArrayList<>();
        parameters.add(states.stream().map(RequestState::valueOf).toList());
        StringBuilder where = new StringBuilder("r.state IN ?1");
        if (!filter.types().isEmpty()) {
            parameters.add(filter.types().stream().map(RequestType::valueOf).toList());
            where.append(" AND r.type IN ?").append(parameters.size());
        }
        Instant now = Instant.now();
        switch (filter.due()) {
            case OVERDUE -> {
                parameters.add(now);
                where.append(" AND r.dueAt < ?").append(parameters.size());
            }
            case WITHIN_7_DAYS -> {
                parameters.add(now);
                where.append(" AND r.dueAt >= ?").append(parameters.size());
                parameters.add(now.plus(Duration.ofDays(7)));
                where.append(" AND r.dueAt < ?").append(parameters.size());
            }
            case ANY -> {
            }
        }
        return Jdbc.inConnection(dataSource, "privacy", c -> {
            return requests.views(c, records.query(where.toString(), filter.limit(), parameters.toArray())).stream()
                    .map(StaffPrivacyDesk::staffView).toList();
        });
    }

    @Override
    public Optional<Request> find(String id, Staff staff) {
        allow(Action.VIEW, staff);
        return requests.view(id).map(StaffPrivacyDesk::staffView);
    }

    @Override
    public String certificate(String id, Staff staff) {
        allow(Action.CERTIFICATE, staff);
        return certificates.certificate(id, staff.actor());
    }

    @Override
    public Request approve(String id, Staff staff) {
        allow(Action.APPROVE, staff);
        return staffView(requests.approve(id, staff.actor()));
    }

    @Override
    public Request reject(String id, String reason, Staff staff) {
        allow(Action.REJECT, staff);
        return staffView(requests.close(id, RequestState.REJECTED, PrivacyResource.reason(reason), staff.actor()));
    }

    @Override
    public Request extend(String id, int months, String reason, Staff staff) {
        allow(Action.EXTEND, staff);
        return staffView(requests.extend(id, months, PrivacyResource.reason(reason), staff.actor()));
    }

    @Override
    public Request extendByDays(String id, int days, String reason, Staff staff) {
        allow(Action.EXTEND, staff);
        return staffView(requests.extend(id, null, days, PrivacyResource.reason(reason), staff.actor()));
    }

    @Override
    public Request confirmStep(String id, String system, String evidence, Staff staff) {
        allow(Action.CONFIRM_STEP, staff);
        return staffView(requests.confirmManually(id, system, PrivacyResource.evidence(evidence), staff.actor()));
    }

    @Override
    public boolean resumeStep(String id, String system, Staff staff) {
        allow(Action.RESUME_STEP, staff);
        if (requests.view(id).isEmpty()) {
            throw ProblemException.notFound("There is no privacy request " + id + ".");
        }
        return steps.resume(id, system, staff.actor());
    }

    @Override
    @Transactional
    public Optional<GuestFile> lookUpGuest(String email, Staff staff) {
        allow(Action.LOOK_UP_GUEST, staff);
        NormalizedEmail address;
        try {
            address = NormalizedEmail.parse(email);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("This is not an email address: " + e.getMessage() + ".");
        }
        Optional<GuestId> guest = guests.find(address);
        return Jdbc.inConnection(dataSource, "privacy", c -> {
            List<Request> theirs = requests.views(c, records.query("r.subjectHash = ?1", 100, hashes.hash(address))).stream()
                    .map(StaffPrivacyDesk::staffView).toList();
            if (guest.isEmpty() && theirs.isEmpty()) {
                return Optional.<GuestFile>empty();
            }
            AuditEvent.Builder looked = AuditEvent.of("privacy", "GUEST_LOOKED_UP").by(staff.actor())
                    .with("requests", String.valueOf(theirs.size()));
            trail.record((guest.isPresent() ? looked.about(guest.get().subjectRef()) : looked.about(RequestRecords.ref(theirs.get(0).id()))).build());
            return Optional.of(new GuestFile(guest.map(GuestId::value).orElse(null), exports.held(guest, address), theirs));
        });
    }

    @Override
    public String controller(Staff staff) {
        allow(Action.VIEW_DATA_MAP, staff);
        return dataMap.controller();
    }

    @Override
    public List<DataMapSystem> dataMap(Staff staff) {
        allow(Action.VIEW_DATA_MAP, staff);
        return dataMap.systems().stream().map(s -> new DataMapSystem(s.name(), s.kind().name(), s.categories(), s.purposes(), s.retention(),
                s.recipients(), s.hold().orElse(null))).toList();
    }

    @Override
    public String recordOfProcessingCsv(Staff staff) {
        allow(Action.RECORD_OF_PROCESSING, staff);
        return record.csv();
    }

    @Override
    public ProcessingRecord recordOfProcessing(Staff staff) {
        allow(Action.RECORD_OF_PROCESSING, staff);
        return record.document();
    }

    private static void allow(Action action, Staff staff) {
        Roles.requireAny(action.roles(), staff == null ? null : staff.roles(), action.name().toLowerCase().replace('_', ' '));
    }

    private static Request staffView(PrivacyRequests.View v) {
        return new Request(v.id(), v.type(), v.regime(), v.channel(), v.state(), v.receivedAt(), v.dueAt(), v.daysLeft(), v.overdue(), v.extendedReason(),
                v.verifiedBy(), v.verifiedAt(), v.completedAt(), v.duplicateOf(), v.outcome(),
                v.steps().stream().map(s -> new Step(s.system(), s.kind(), s.state(), s.attempts(), s.evidence(), s.confirmedAt(), s.taskDueAt())).toList(),
                v.history().stream().map(e -> new Event(e.at(), e.state(), e.note())).toList());
    }
}
