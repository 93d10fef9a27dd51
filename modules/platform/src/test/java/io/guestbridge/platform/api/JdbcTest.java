package io.guestbridge.platform.api;

import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JdbcTest {

    @Test
    void aDeadlockOrALockWaitTimeoutIsTransientAndOtherErrorsAreNot() {
        assertInstanceOf(TransientDatabaseException.class, failure(new SQLTransactionRollbackException("Deadlock found", "40001", 1213)));
        assertInstanceOf(TransientDatabaseException.class, failure(new SQLException("Lock wait timeout exceeded", "HY000", 1205)));
        assertInstanceOf(TransientDatabaseException.class, failure(new SQLException("serialization failure", "40001", 0)));
        IllegalStateException duplicate = failure(new SQLException("Duplicate entry", "23000", 1062));
        assertFalse(duplicate instanceof TransientDatabaseException, "a duplicate key happens again on every retry");
        assertEquals("test: database error 23000 (1062)", duplicate.getMessage(), "state and code, never the statement");
    }

    private static IllegalStateException failure(SQLException error) {
        DataSource failing = (DataSource) Proxy.newProxyInstance(JdbcTest.class.getClassLoader(), new Class<?>[]{DataSource.class}, (proxy, method, args) -> {
            if (method.getName().equals("getConnection")) {
                throw error;
            }
            throw new UnsupportedOperationException(method.getName());
        });
        return assertThrows(IllegalStateException.class, () -> Jdbc.inConnection(failing, "test", c -> null));
    }
}
