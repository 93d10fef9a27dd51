package io.guestbridge.privacy.internal.requests;

import io.guestbridge.platform.api.ProblemException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a subject may state about themselves, in the form every source stores it. */
class CorrectionsTest {

    @Test
    void aDateOfBirthIsAPastIsoDate() {
        assertEquals("{\"BIRTH_DATE\":\"1985-03-27\"}", Corrections.parse(Map.of("birthDate", " 1985-03-27 ")));
        for (String wrong : new String[]{"27/03/1985", "1985-02-30", "1899-12-31", "2999-01-01"}) {
            ProblemException refused = assertThrows(ProblemException.class, () -> Corrections.parse(Map.of("birthDate", wrong)), wrong);
            assertTrue(refused.getMessage().contains("yyyy-mm-dd"), refused.getMessage());
        }
    }

    @Test
    void otherFieldsKeepWhatTheSubjectWrote() {
        assertEquals("{\"LAST_NAME\":\"O'Brien\"}", Corrections.parse(Map.of("lastName", "O'Brien")));
        assertThrows(ProblemException.class, () -> Corrections.parse(Map.of("email", "a@b.c")));
    }
}
