package io.guestbridge.privacy.internal.portal;

import io.guestbridge.platform.api.ProblemException;
import io.guestbridge.platform.api.ProblemType;
import io.guestbridge.privacy.api.SubjectPortal;
import jakarta.enterprise.context.ApplicationScoped;
import io.guestbridge.consent.api.ConsentDecision;
import io.guestbridge.consent.api.ConsentLedger;
import io.guestbridge.consent.api.ConsentRecord;
import io.guestbridge.consent.api.Wordings;
import io.guestbridge.privacy.internal.exports.SubjectExports;
import io.guestbridge.privacy.internal.lifecycle.PrivacyRequests;
import io.guestbridge.privacy.internal.requests.Corrections;
import io.guestbridge.privacy.internal.requests.PrivacyRequest;
import io.guestbridge.privacy.internal.requests.Regimes;
import io.guestbridge.privacy.internal.requests.RequestState;
import io.guestbridge.privacy.internal.requests.RequestType;
import io.guestbridge.privacy.internal.requests.StepState;
import io.guestbridge.privacy.internal.suppression.SuppressionList;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@link SubjectPortal} on the request life cycle of {@link PrivacyRequests}: the limits of the public side
 * are counted here, before and after the life cycle's own checks, so every channel is held to the same ones.
 */
@ApplicationScoped
public class SubjectPortalDesk implements SubjectPortal {

    @Inject
    PrivacyRequests requests;

    @Inject
    IntakeLimits limits;

    @Inject
    SuppressionList hashes;

    @Inject
    SubjectExports exports;

    @Inject
    SubjectChallenges challenges;

    @Inject
    ConsentLedger ledger;

    @Inject
    Wordings wordings;

    @Inject
    Regimes regimes;

    @Override
    public List<Right> rights() {
        return Arrays.stream(Right.values()).filter(right -> regimes.defaultRegime().types().contains(RequestType.valueOf(right.name()))).toList();
    }

    @Override
    public String submit(Right right, String email, Map<String, String> corrections, Locale language, String clientAddress) {
        if (right == null || email == null) {
            throw ProblemException.invalid("Send type (" + regimes.defaultRegime().allowed() + ") and email.");
        }
        RequestType type = RequestType.valueOf(right.name());
        String details = Corrections.forType(type, corrections);
        var normalized = PrivacyRequests.email(email);
        limits.admit(hashes.hash(normalized), clientAddress);
        return requests.receive(type, normalized, details, PrivacyRequest.PORTAL, null, "subject", language);
    }

    @Override
    public CodeCheck verify(String requestId, String code, String clientAddress) {
        limits.checkCodes(clientAddress);
        PrivacyRequests.Verification verification;
        try {
            verification = requests.verify(requestId, code);
        } catch (RuntimeException e) {
            // the life cycle refuses with a problem, which the transaction boundary may have wrapped
            ProblemException problem = problemIn(e).orElseThrow(() -> e);
            return switch (problem.type()) {
                case NOT_FOUND -> new CodeCheck(CodeOutcome.UNKNOWN_REQUEST, 0, Optional.empty());
                case CONFLICT -> new CodeCheck(CodeOutcome.NOT_WAITING, 0, Optional.empty());
                case UNAVAILABLE -> new CodeCheck(CodeOutcome.CODE_NOT_SENT_YET, 0, Optional.empty());
                default -> throw problem;
            };
        }
        if (verification.verified()) {
            return new CodeCheck(CodeOutcome.VERIFIED, verification.attemptsLeft(), Optional.of(status(verification.request())));
        }
        limits.wrongCode(clientAddress);
        if (verification.attemptsLeft() > 0) {
            return new CodeCheck(CodeOutcome.WRONG_CODE, verification.attemptsLeft(), Optional.empty());
        }
        // the life cycle closed the request: expired (the code came too late) or rejected (one wrong code too many)
        boolean expired = requests.portalView(requestId).map(v -> RequestState.EXPIRED.name().equals(v.state())).orElse(false);
        return new CodeCheck(expired ? CodeOutcome.EXPIRED : CodeOutcome.TOO_MANY_WRONG_CODES, 0, Optional.empty());
    }

    @Override
    public Optional<RequestStatus> status(String requestId) {
        return requests.portalView(requestId).map(SubjectPortalDesk::status);
    }

    @Override
    public Optional<String> takeExport(String token, String clientAddress) {
        limits.checkLinks(clientAddress);
        Optional<String> document = exports.download(token);
        if (document.isEmpty()) {
            limits.unknownLink(clientAddress);
        }
        return document;
    }

    @Override
    public String challenge(Purpose purpose, String requestId, String email, Locale language, String clientAddress) {
        if (purpose == null || email == null) {
            throw ProblemException.invalid("Send the purpose (FOLLOW or CONSENT) and the email.");
        }
        var normalized = PrivacyRequests.email(email);
        limits.admit(hashes.hash(normalized), clientAddress);
        return challenges.open(purpose, requestId, normalized, language);
    }

    @Override
    public CodeCheck confirm(String challengeId, String code, String clientAddress) {
        limits.checkCodes(clientAddress);
        CodeCheck check = challenges.confirm(challengeId, code);
        if (check.outcome() == CodeOutcome.WRONG_CODE || check.outcome() == CodeOutcome.TOO_MANY_WRONG_CODES) {
            limits.wrongCode(clientAddress);
        }
        return check;
    }

    @Override
    public Optional<RequestDetail> follow(String challengeId) {
        return challenges.fresh(challengeId, Purpose.FOLLOW).filter(p -> p.requestId() != null).flatMap(p -> requests.view(p.requestId()))
                .map(SubjectPortalDesk::detail);
    }

    @Override
    public Optional<List<ConsentOnRecord>> consents(String challengeId) {
        return challenges.fresh(challengeId, Purpose.CONSENT).map(proof -> proof.guest() == null ? List.of() : onRecord(ledger.history(proof.guest())));
    }

    @Override
    @Transactional
    public boolean withdraw(String challengeId, String purpose) {
        Optional<SubjectChallenges.Proof> proof = challenges.fresh(challengeId, Purpose.CONSENT);
        if (proof.isEmpty() || proof.get().guest() == null || !ConsentRecord.isPurpose(purpose)
                || !ledger.current(proof.get().guest(), purpose).map(ConsentDecision::permits).orElse(false)) {
            return false;
        }
        // the same ledger append as every other withdrawal: audited there, and it queues the CRMs' update of marketing flags
        ledger.append(new ConsentRecord(proof.get().guest(), purpose, ConsentDecision.WITHDRAWN, null, null, Instant.now(), "subject-portal",
                Map.of("verified", "emailed one-time code", "proof", proof.get().id()), false, false), "subject");
        return true;
    }

    /** Per purpose, the decision in force (the ledger's own answer) with the record it comes from, and the wording last shown for it. */
    private List<ConsentOnRecord> onRecord(List<ConsentLedger.Entry> history) {
        Map<String, List<ConsentLedger.Entry>> byPurpose = new LinkedHashMap<>();
        for (ConsentLedger.Entry entry : history) {
            byPurpose.computeIfAbsent(entry.purpose(), p -> new ArrayList<>()).add(entry);
        }
        List<ConsentOnRecord> consents = new ArrayList<>();
        for (List<ConsentLedger.Entry> entries : byPurpose.values()) {
            // latest captured first; between equal times the more protective decision is in force, as the ledger decides
            entries.sort(Comparator.comparing(ConsentLedger.Entry::capturedAt).reversed()
                    .thenComparing(e -> List.of(ConsentDecision.WITHDRAWN, ConsentDecision.DENIED, ConsentDecision.INVALID, ConsentDecision.GRANTED)
                            .indexOf(e.decision())));
            ConsentLedger.Entry inForce = entries.get(0);
            Optional<Wordings.Wording> wording = entries.stream().filter(e -> e.wordingId() != null).findFirst()
                    .flatMap(e -> wordings.find(e.wordingId(), e.wordingVersion()));
            consents.add(new ConsentOnRecord(inForce.purpose(), inForce.decision().name(), inForce.capturedAt(), inForce.channel(), inForce.evidence(),
                    wording.map(Wordings.Wording::id).orElse(null), wording.map(Wordings.Wording::version).orElse(null),
                    wording.map(Wordings.Wording::language).orElse(null), wording.map(Wordings.Wording::text).orElse(null),
                    inForce.decision().permits()));
        }
        return consents;
    }

    private static RequestDetail detail(PrivacyRequests.View view) {
        List<SystemStep> steps = view.steps().stream().map(s -> new SystemStep(s.system(), s.state(), s.confirmedAt(), s.taskDueAt(),
                StepState.HELD.name().equals(s.state()) && s.evidence() != null && s.evidence().startsWith(PrivacyRequests.HELD_BECAUSE)
                        ? s.evidence().substring(PrivacyRequests.HELD_BECAUSE.length()) : null))
                .toList();
        return new RequestDetail(view.id(), Right.valueOf(view.type()), view.state(), view.receivedAt(), view.dueAt(), view.extendedReason() != null,
                view.extendedReason(), view.completedAt(), view.outcome(), steps);
    }

    /** Rethrows a refusal of the JSON channel's kind for a code check that did not verify. */
    static ProblemException refusal(CodeCheck check) {
        return switch (check.outcome()) {
            case WRONG_CODE -> new ProblemException(ProblemType.VALIDATION, "The code is not right; " + check.attemptsLeft() + " attempt(s) left.",
                    Map.of("attemptsLeft", check.attemptsLeft()));
            case EXPIRED -> ProblemException.conflict("The code expired; please send a new request.");
            case TOO_MANY_WRONG_CODES -> ProblemException.conflict("Too many wrong codes: the request is closed. Please send a new request.");
            case NOT_WAITING -> ProblemException.conflict("The request is not waiting for a code.");
            case CODE_NOT_SENT_YET -> new ProblemException(ProblemType.UNAVAILABLE, "The code is still on its way; try again in a minute.",
                    Map.of("retryAfterSeconds", 30));
            case UNKNOWN_REQUEST -> ProblemException.notFound("There is no such privacy request.");
            case VERIFIED -> throw new IllegalArgumentException("a verified check is no refusal");
        };
    }

    private static Optional<ProblemException> problemIn(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof ProblemException problem) {
                return Optional.of(problem);
            }
        }
        return Optional.empty();
    }

    private static RequestStatus status(PrivacyRequests.PortalView view) {
        return new RequestStatus(view.id(), Right.valueOf(view.type()), view.state(), view.dueAt());
    }
}
