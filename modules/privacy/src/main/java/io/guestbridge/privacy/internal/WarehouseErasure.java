package io.guestbridge.privacy.internal;

import io.guestbridge.identity.api.NormalizedEmail;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLNonTransientException;
import java.sql.SQLTransientException;

/**
 * Deletes the subject from a data warehouse with the configured statement (e.g.
 * {@code DELETE FROM guest_facts WHERE lower(email) = ?}), the normalised email bound to every
 * parameter, committed before the step is confirmed. The statement comes from configuration, never
 * from a request; the email is only ever a bound parameter.
 */
@ApplicationScoped
public class WarehouseErasure {

    StepResult erase(DataMap.Entry system, NormalizedEmail email) {
        String sql = system.setting("statement");
        try (Connection c = DriverManager.getConnection(system.setting("jdbc-url"), system.settings().get("user"), system.settings().get("password"))) {
            c.setAutoCommit(false);
            int rows;
            try (PreparedStatement s = c.prepareStatement(sql)) {
                long parameters = sql.chars().filter(ch -> ch == '?').count(); // the statement is ours: no literal '?' in it
                for (int i = 1; i <= parameters; i++) {
                    s.setString(i, email.value());
                }
                rows = s.executeUpdate();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
            return StepResult.confirmed(rows + " row(s) deleted, committed");
        } catch (SQLTransientException e) {
            return StepResult.retry("database busy or unreachable: SQLState " + e.getSQLState());
        } catch (SQLNonTransientException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
                return StepResult.retry("connection failed: SQLState " + e.getSQLState());
            }
            return StepResult.refused("the statement failed: SQLState " + e.getSQLState() + " (check privacy.system." + system.name() + ".statement)");
        } catch (SQLException e) {
            return StepResult.retry("SQLState " + e.getSQLState());
        }
    }
}
