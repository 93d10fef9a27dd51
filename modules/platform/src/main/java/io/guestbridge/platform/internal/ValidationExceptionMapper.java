package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.ProblemType;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Bean Validation failures as one problem listing every invalid field. The rejected values are not
 * echoed: they may be personal data.
 */
@Provider
public class ValidationExceptionMapper implements ExceptionMapper<ConstraintViolationException> {

    @Context
    UriInfo uriInfo;

    @Override
    public Response toResponse(ConstraintViolationException e) {
        List<Map<String, String>> errors = e.getConstraintViolations().stream()
                .sorted(Comparator.comparing(v -> v.getPropertyPath().toString()))
                .map(ValidationExceptionMapper::describe)
                .toList();
        return Problems.response(ProblemType.VALIDATION, errors.size() + " field(s) are not valid; see errors.",
                uriInfo == null ? null : "/" + uriInfo.getPath(), Map.of("errors", errors));
    }

    private static Map<String, String> describe(ConstraintViolation<?> violation) {
        String path = violation.getPropertyPath().toString();
        // "list.arg0" -> "arg0"; keep the last node, which names the parameter or field
        String field = path.contains(".") ? path.substring(path.lastIndexOf('.') + 1) : path;
        return Map.of("field", field, "message", violation.getMessage());
    }
}
