package io.guestbridge.privacy.internal.steps;

import io.guestbridge.identity.api.NormalizedEmail;
import io.guestbridge.platform.api.ErasureResult;
import io.guestbridge.platform.api.OutboundTargets;
import io.guestbridge.privacy.internal.datamap.DataMap;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.ConfigProvider;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLNonTransientException;
import java.sql.SQLTransientException;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Deletes the subject from a data warehouse with the configured statement (e.g.
 * {@code DELETE FROM guest_facts WHERE lower(email) = ?}), the normalised email bound to every
 * parameter, committed before the step is confirmed. The statement comes from configuration, never
 * from a request; the email is only ever a bound parameter.
 *
 * <p>Only MariaDB URLs (the one driver the server carries), to hosts the outbound policy admits, and
 * never with LOCAL INFILE: a hostile or hijacked database server could otherwise ask the driver for
 * any file this server can read.
 */
@ApplicationScoped
public class WarehouseErasure {

    private static final Pattern MARIADB_URL = Pattern.compile("jdbc:mariadb:(?:[a-z]+:)?//([^/?]+)(?:[/?].*)?", Pattern.CASE_INSENSITIVE);

    private final OutboundTargets targets = OutboundTargets.from(ConfigProvider.getConfig());

    ErasureResult erase(DataMap.Entry system, NormalizedEmail email) {
        String sql = system.setting("statement");
        String setting = "privacy.system." + system.name() + ".jdbc-url";
        Optional<String> refusal = refusal(system.setting("jdbc-url"), setting);
        if (refusal.isPresent()) {
            return ErasureResult.refused(refusal.get());
        }
        Properties properties = new Properties();
        properties.setProperty("user", system.settings().getOrDefault("user", ""));
        properties.setProperty("password", system.settings().getOrDefault("password", ""));
        properties.setProperty("allowLocalInfile", "false");
        try (Connection c = DriverManager.getConnection(system.setting("jdbc-url"), properties)) {
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
            return ErasureResult.confirmed(rows + " row(s) deleted, committed");
        } catch (SQLTransientException e) {
            return ErasureResult.retry("database busy or unreachable: SQLState " + e.getSQLState());
        } catch (SQLNonTransientException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
                return ErasureResult.retry("connection failed: SQLState " + e.getSQLState());
            }
            return ErasureResult.refused("the statement failed: SQLState " + e.getSQLState() + " (check privacy.system." + system.name() + ".statement)");
        } catch (SQLException e) {
            return ErasureResult.retry("SQLState " + e.getSQLState());
        }
    }

    /** Why the warehouse URL must not be used; empty when it may. */
    Optional<String> refusal(String url, String setting) {
        Matcher m = url == null ? null : MARIADB_URL.matcher(url.strip());
        if (m == null || !m.matches()) {
            return Optional.of(setting + " must be a jdbc:mariadb:// URL");
        }
        if (url.toLowerCase(Locale.ROOT).contains("allowlocalinfile")) {
            return Optional.of(setting + " must not enable LOCAL INFILE");
        }
        for (String hostAndPort : m.group(1).split(",")) {
            String host = hostAndPort.startsWith("[") ? hostAndPort.substring(0, hostAndPort.indexOf(']') + 1)
                    : hostAndPort.replaceFirst(":\\d+$", "");
            Optional<String> refused = targets.hostRefusal(host.replaceFirst("^address=\\(host=([^)]+)\\).*", "$1"), setting);
            if (refused.isPresent()) {
                return refused;
            }
        }
        return Optional.empty();
    }
}
