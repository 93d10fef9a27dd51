package io.guestbridge.datasource;

import org.mariadb.jdbc.util.constants.ServerStatus;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A MariaDB connection that sends its switch to autocommit only when a statement needs it.
 *
 * <p>The container brackets every local transaction with {@code setAutoCommit(false)} and, after the commit,
 * {@code setAutoCommit(true)}; the driver sends each as a statement of its own ({@code set autocommit=…}) unless the
 * server already is in that mode. Transactions that follow each other on a pooled connection, which is how the work
 * queue, the audit sequencer and every request run, so paid two round trips each for nothing: switched on after one
 * commit, off again before the next statement. Here switching on with no transaction open is only noted, and sent
 * before the next thing that runs outside a transaction; a transaction that comes first finds the connection still off
 * and sends nothing.
 *
 * <p>What callers see is JDBC's autocommit: {@link Connection#getAutoCommit()} answers the mode they set, and whatever
 * reaches the server (a statement, the metadata's and a callable statement's own queries, a savepoint) runs in that
 * mode, so a write outside a transaction commits by itself and a read leaves nothing open. Whether work is open is the
 * server's own word (the status it returns with every answer), not a guess: switching on with a transaction open
 * sends the switch at once, which commits it, as JDBC says. A connection switched on but not yet told so holds no
 * transaction while it waits in the pool. Not covered, and used nowhere here: autocommit set in SQL text
 * ({@code SET autocommit=0}), which the next statement undoes, and the writes of an updatable result set kept open past
 * a commit ({@code updateRow} and its kin run on the driver's connection). Anyone who unwraps the driver's own connection
 * or statement gets one that sends every switch at once from then on, since what they run on it is out of sight.
 */
final class LazyAutoCommit implements InvocationHandler {

    private final org.mariadb.jdbc.Connection physical;
    private final Connection proxy;
    /** The mode the caller set: what {@code getAutoCommit} answers and what the next statement must run in. */
    private boolean autoCommit;
    /** The driver's connection was handed out by {@code unwrap}: its statements bypass this class, so nothing is deferred. */
    private boolean eager;

    private LazyAutoCommit(org.mariadb.jdbc.Connection physical) {
        this.physical = physical;
        this.autoCommit = (physical.getContext().getServerStatus() & ServerStatus.AUTOCOMMIT) != 0;
        this.proxy = (Connection) Proxy.newProxyInstance(LazyAutoCommit.class.getClassLoader(), new Class<?>[]{Connection.class}, this);
    }

    /** The connection as callers use it. */
    static Connection over(Connection physical) throws SQLException {
        return new LazyAutoCommit(physical.unwrap(org.mariadb.jdbc.Connection.class)).proxy;
    }

    /** The driver's connection under one of ours, as it stands, switching nothing: for tests. */
    static org.mariadb.jdbc.Connection physicalOf(Connection connection) {
        return ((LazyAutoCommit) Proxy.getInvocationHandler(connection)).physical;
    }

    @Override
    public Object invoke(Object self, Method method, Object[] args) throws Throwable {
        switch (method.getName()) {
            case "getAutoCommit":
                physical.getAutoCommit(); // refuses a closed connection, as the driver would; sends nothing
                return autoCommit;
            case "setAutoCommit":
                setAutoCommit((Boolean) args[0]);
                return null;
            case "createStatement":
                return inCallersMode(Statement.class, call(physical, method, args));
            case "prepareStatement":
                return inCallersMode(PreparedStatement.class, call(physical, method, args));
            case "prepareCall":
                return inCallersMode(CallableStatement.class, call(physical, method, args));
            case "getMetaData":
                // the container asks for it on every new connection and keeps it across borrows: each use is checked
                return inCallersMode(DatabaseMetaData.class, call(physical, method, args));
            case "setSavepoint":
            case "releaseSavepoint":
                switchOnIfDue();
                return call(physical, method, args);
            case "unwrap":
                return ((Class<?>) args[0]).isInstance(proxy) ? proxy : handedOut(physical, method, args);
            case "isWrapperFor":
                return ((Class<?>) args[0]).isInstance(proxy) || (Boolean) call(physical, method, args);
            case "equals":
                return self == args[0];
            case "hashCode":
                return System.identityHashCode(self);
            case "toString":
                return "LazyAutoCommit[" + physical + "]";
            default:
                return call(physical, method, args);
        }
    }

    private void setAutoCommit(boolean on) throws SQLException {
        if (!on) {
            physical.setAutoCommit(false); // the driver sends nothing when the connection was left off
        } else if (eager || (physical.getContext().getServerStatus() & ServerStatus.IN_TRANSACTION) != 0) {
            physical.setAutoCommit(true); // commits the open transaction, as JDBC asks
        } else {
            physical.getAutoCommit(); // refuses a closed connection, as the driver would; sends nothing
        }
        autoCommit = on; // only once the switch, if it was due, went through
    }

    /** Before anything reaches the server: the connection in the mode its caller set (a local check unless a switch is due). */
    private void switchOnIfDue() throws SQLException {
        if (autoCommit && !physical.getAutoCommit()) {
            physical.setAutoCommit(true);
        }
    }

    /**
     * A statement, or the metadata, whose every call runs in the caller's mode: the calls that run SQL are not only the
     * {@code execute} ones (a callable statement's parameter metadata, the metadata's queries), and the check costs no
     * round trip unless a switch is due.
     */
    private <T> Object inCallersMode(Class<T> type, Object target) {
        return Proxy.newProxyInstance(LazyAutoCommit.class.getClassLoader(), new Class<?>[]{type}, (self, method, args) -> {
            switch (method.getName()) {
                case "getConnection":
                    return proxy;
                case "unwrap":
                    return ((Class<?>) args[0]).isInstance(self) ? self : handedOut(target, method, args);
                case "equals":
                    return self == args[0];
                case "hashCode":
                    return System.identityHashCode(self);
                case "close":
                case "isClosed":
                case "cancel":
                case "toString":
                    return call(target, method, args); // they send no SQL, and must work on a closed connection
                default:
                    switchOnIfDue();
                    return call(target, method, args);
            }
        });
    }

    /** The driver's own object, unwrapped: what runs on it is out of sight, so from now on every switch goes at once. */
    private Object handedOut(Object target, Method unwrap, Object[] args) throws Throwable {
        switchOnIfDue();
        eager = true;
        return call(target, unwrap, args);
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
