package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.ProblemException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Our own errors: the module said exactly what went wrong. */
@Provider
public class ProblemExceptionMapper implements ExceptionMapper<ProblemException> {

    @Context
    UriInfo uriInfo;

    @Override
    public Response toResponse(ProblemException e) {
        return Problems.response(e.type(), e.detail(), uriInfo == null ? null : "/" + uriInfo.getPath(), e.extensions());
    }
}
