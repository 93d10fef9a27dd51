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

    @Test
    void aSessionFlagIsSetForTheWorkAndClearedAfterIt_evenWhenTheWorkFails() throws SQLException {
        java.util.List<String> said = new java.util.ArrayList<>();
        java.sql.Statement statement = (java.sql.Statement) Proxy.newProxyInstance(JdbcTest.class.getClassLoader(),
                new Class<?>[]{java.sql.Statement.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "execute" -> {
                        said.add((String) args[0]);
                        yield false;
                    }
                    case "close" -> null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        java.sql.Connection connection = (java.sql.Connection) Proxy.newProxyInstance(JdbcTest.class.getClassLoader(),
                new Class<?>[]{java.sql.Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("createStatement")) {
                        return statement;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        int answered = Jdbc.withSessionFlag(connection, "module_moves", c -> {
            assertEquals(java.util.List.of("SET @module_moves = 1"), said, "set before the work");
            return 7;
        });
        assertEquals(7, answered, "the work's answer");
        assertEquals(java.util.List.of("SET @module_moves = 1", "SET @module_moves = NULL"), said);
        said.clear();
        SQLException refused = new SQLException("refused by the trigger", "45000");
        assertEquals(refused, assertThrows(SQLException.class, () -> Jdbc.withSessionFlag(connection, "module_moves", c -> {
            throw refused;
        })));
        assertEquals(java.util.List.of("SET @module_moves = 1", "SET @module_moves = NULL"), said, "cleared although the work failed");
        assertThrows(IllegalArgumentException.class, () -> Jdbc.withSessionFlag(connection, "x = 1; DROP TABLE t; SET @y", c -> 0));
    }
}
