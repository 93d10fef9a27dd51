package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.ProblemException;
import io.guestbridge.platform.api.ProblemType;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ext.ParamConverter;
import org.junit.jupiter.api.Test;

import java.lang.annotation.Annotation;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TypedParametersTest {

    @SuppressWarnings("unused")
    void resource(@QueryParam("limit") int limit, @QueryParam("from") Instant from, String unannotated) {
    }

    private static Annotation[] annotationsOf(int parameter) throws NoSuchMethodException {
        return TypedParametersTest.class.getDeclaredMethod("resource", int.class, Instant.class, String.class).getParameterAnnotations()[parameter];
    }

    @Test
    void aValueThatDoesNotConvertIsAProblemNamingTheParameter() throws Exception {
        ParamConverter<Integer> limit = new TypedParameters().getConverter(int.class, int.class, annotationsOf(0));
        assertEquals(42, limit.fromString("42"));
        ProblemException problem = assertThrows(ProblemException.class, () -> limit.fromString("abc"));
        assertEquals(ProblemType.VALIDATION, problem.type());
        assertEquals(List.of(Map.of("field", "limit", "message", "must be a whole number")), problem.extensions().get("errors"));
        assertThrows(IllegalArgumentException.class, () -> limit.fromString(null), "absent: JAX-RS uses the default value");
    }

    @Test
    void instantsAndOnlyAnnotatedParametersAreConverted() throws Exception {
        ParamConverter<Instant> from = new TypedParameters().getConverter(Instant.class, Instant.class, annotationsOf(1));
        assertEquals(Instant.parse("2026-11-25T08:00:00Z"), from.fromString("2026-11-25T08:00:00Z"));
        ProblemException problem = assertThrows(ProblemException.class, () -> from.fromString("yesterday"));
        assertEquals("from", ((List<Map<String, String>>) problem.extensions().get("errors")).get(0).get("field"));
        assertNull(new TypedParameters().getConverter(String.class, String.class, annotationsOf(2)));
    }
}
