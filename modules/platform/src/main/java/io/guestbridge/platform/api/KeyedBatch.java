package io.guestbridge.platform.api;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A bounded batch changed in two steps, as retention purges change their rows: a plain read finds at most a batch of
 * ids, then one statement deletes or updates exactly those rows by primary key. A single DELETE or UPDATE filtered on
 * state and time would lock every row it scans, waiting at each row a queue worker or an operator holds until its
 * lock wait runs out (it did, every round, while a large import was processed); the plain read takes no lock, and the
 * change locks only the rows it names. The change repeats its filter, so a row that moved on in between (replayed,
 * taken by a worker) is left alone.
 *
 * <pre>{@code
 * KeyedBatch.find("SELECT id FROM plt_work_item WHERE state = 'DEAD' AND updated_at < ? LIMIT ?", cutoff, limit)
 *         .change("DELETE FROM plt_work_item WHERE id IN (:ids) AND state = 'DEAD' AND updated_at < ?", cutoff)
 *         .run(connection);
 * }</pre>
 */
public final class KeyedBatch {

    /** Where the change statement takes the ids found, as a list of parameters. */
    public static final String IDS = ":ids";

    private final String find;
    private final Object[] findParameters;
    private final String change;
    private final Object[] changeParameters;

    private KeyedBatch(String find, Object[] findParameters, String change, Object[] changeParameters) {
        this.find = find;
        this.findParameters = findParameters;
        this.change = change;
        this.changeParameters = changeParameters;
    }

    /** The read that finds the ids (its first column, a whole number), bounded by its own LIMIT; its parameters in order. */
    public static KeyedBatch find(String select, Object... parameters) {
        return new KeyedBatch(select, parameters.clone(), null, null);
    }

    /**
     * The statement that changes the rows found: it holds {@link #IDS} once, where the ids go ({@code id IN (:ids)}); its
     * other parameters, in order, fill the {@code ?} before and after it.
     */
    public KeyedBatch change(String statement, Object... parameters) {
        if (statement.indexOf(IDS) < 0 || statement.indexOf(IDS) != statement.lastIndexOf(IDS)) {
            throw new IllegalArgumentException("the change statement must name " + IDS + " once");
        }
        return new KeyedBatch(find, findParameters, statement, parameters.clone());
    }

    /** Finds, then changes; returns how many rows the change changed (0, without a second statement, when none was found). */
    public int run(Connection c) throws SQLException {
        if (change == null) {
            throw new IllegalStateException("no change statement");
        }
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(find)) {
            for (int i = 0; i < findParameters.length; i++) {
                s.setObject(i + 1, findParameters[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        if (ids.isEmpty()) {
            return 0;
        }
        int at = change.indexOf(IDS);
        int before = placeholders(change.substring(0, at));
        if (before > changeParameters.length) {
            throw new IllegalArgumentException("the change statement has more parameters before " + IDS + " than were given");
        }
        String sql = change.substring(0, at) + String.join(", ", Collections.nCopies(ids.size(), "?")) + change.substring(at + IDS.length());
        try (PreparedStatement s = c.prepareStatement(sql)) {
            int p = 1;
            for (int i = 0; i < before; i++) {
                s.setObject(p++, changeParameters[i]);
            }
            for (long id : ids) {
                s.setLong(p++, id);
            }
            for (int i = before; i < changeParameters.length; i++) {
                s.setObject(p++, changeParameters[i]);
            }
            return s.executeUpdate();
        }
    }

    private static int placeholders(String sql) {
        int count = 0;
        for (int i = 0; i < sql.length(); i++) {
            if (sql.charAt(i) == '?') {
                count++;
            }
        }
        return count;
    }
}
