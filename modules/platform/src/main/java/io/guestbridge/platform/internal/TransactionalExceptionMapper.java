package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.ProblemException;
import jakarta.transaction.TransactionalException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * A {@code @Transactional} resource method whose transaction failed: the container wraps the cause in
 * a TransactionalException, and its own mapper for that answers a bare 500. Ours unwraps: a problem
 * raised inside keeps its meaning, anything else is an internal error with an incident id.
 */
@Provider
public class TransactionalExceptionMapper implements ExceptionMapper<TransactionalException> {

    @Context
    UriInfo uriInfo;

    @Override
    public Response toResponse(TransactionalException e) {
        String path = uriInfo == null ? null : "/" + uriInfo.getPath();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ProblemException problem) {
                return Problems.response(problem.type(), problem.detail(), path, problem.extensions());
            }
        }
        return UnexpectedExceptionMapper.respond(e, path);
    }
}
