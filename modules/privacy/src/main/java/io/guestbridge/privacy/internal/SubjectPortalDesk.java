package io.guestbridge.privacy.internal;

import io.guestbridge.platform.api.ProblemException;
import io.guestbridge.platform.api.ProblemType;
import io.guestbridge.privacy.api.SubjectPortal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

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

    @Override
    public String submit(Right right, String email, Map<String, String> corrections, String clientAddress) {
        if (right == null || email == null) {
            throw ProblemException.invalid("Send type (ERASURE, ACCESS, RECTIFICATION or OBJECTION) and email.");
        }
        RequestType type = RequestType.valueOf(right.name());
        String details = Corrections.forType(type, corrections);
        var normalized = PrivacyResource.email(email);
        limits.admit(hashes.hash(normalized), clientAddress);
        return requests.receive(type, normalized, details, PrivacyRequests.PORTAL, null, "subject");
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
