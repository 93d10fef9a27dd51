package io.guestbridge.launcher;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a first start most often trips over, checked before anything is started, each answered with one
 * paragraph that says what to do: the ports are taken, the home directory cannot hold a database, the
 * external database does not answer. Each check costs milliseconds.
 */
final class StartChecks {

    private static final Pattern JDBC_HOSTS = Pattern.compile("^jdbc:(?:mariadb|mysql)(?::[a-z:]+)?://([^/?]*)");

    private StartChecks() {
    }

    /**
     * Whether guestbridge can keep its files in {@code home}: it can create and write them there, and the
     * file system lets the embedded MariaDB run the server binary it unpacks there (not mounted noexec)
     * and write (not read-only).
     */
    static Optional<String> homeProblem(Path home, String mountInfo) {
        try {
            Files.createDirectories(home);
            Path probe = Files.createTempFile(home, ".write-check", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            return Optional.of("guestbridge: cannot write in the home directory " + home + " (" + describe(e) + "). guestbridge keeps "
                    + "its database, keys and logs there. Make it writable for this user (" + System.getProperty("user.name")
                    + "), or choose another directory on a local disk: GUESTBRIDGE_HOME=/path/to/dir java -jar ... .");
        }
        Optional<List<String>> options = mountOptions(home, mountInfo);
        if (options.isPresent() && options.get().contains("noexec")) {
            return Optional.of("guestbridge: the home directory " + home + " is on a file system mounted noexec, so the embedded "
                    + "MariaDB cannot run the server program it unpacks there. Choose a directory on another file system "
                    + "(GUESTBRIDGE_HOME=/path/to/dir java -jar ...), or remount this one without noexec.");
        }
        if (options.isPresent() && options.get().contains("ro")) {
            return Optional.of("guestbridge: the home directory " + home + " is on a read-only file system. Choose a writable "
                    + "directory on a local disk: GUESTBRIDGE_HOME=/path/to/dir java -jar ... .");
        }
        return Optional.empty();
    }

    /** The contents of /proc/self/mountinfo, or null where there is none (not Linux). */
    static String mountInfo() {
        try {
            Path file = Path.of("/proc/self/mountinfo");
            return Files.isReadable(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The mount options (per-mount and per-superblock) of the mount holding {@code path}: the entry of
     * mountinfo whose mount point is the longest prefix of the real path.
     */
    static Optional<List<String>> mountOptions(Path path, String mountInfo) {
        if (mountInfo == null) {
            return Optional.empty();
        }
        String real;
        try {
            real = path.toRealPath().toString();
        } catch (IOException e) {
            real = path.toAbsolutePath().normalize().toString();
        }
        String bestPoint = null;
        List<String> best = null;
        for (String line : mountInfo.split("\n")) {
            // id parent major:minor root mount-point options [optional fields...] - fstype source super-options
            String[] fields = line.trim().split(" ");
            int separator = List.of(fields).indexOf("-");
            if (fields.length < 6 || separator < 0 || separator + 3 >= fields.length) {
                continue;
            }
            String point = unescape(fields[4]);
            boolean holds = real.equals(point) || point.equals("/") || real.startsWith(point + "/");
            if (holds && (bestPoint == null || point.length() >= bestPoint.length())) {
                bestPoint = point;
                best = new ArrayList<>(List.of(fields[5].split(",")));
                best.addAll(List.of(fields[separator + 3].split(",")));
            }
        }
        return Optional.ofNullable(best);
    }

    private static String unescape(String field) {
        return field.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }

    /** Whether {@code port} can be listened on (on every interface, as Payara Micro listens); if not, who holds it. */
    static Optional<String> portProblem(int port, String setting) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
            return Optional.empty();
        } catch (BindException e) {
            String holder = listener(port).map(pid -> "process " + pid + ProcessHandle.of(pid).flatMap(p -> p.info().commandLine())
                            .map(c -> " (" + (c.length() > 120 ? c.substring(0, 120) + "…" : c) + ")").orElse(""))
                    .orElse("another program (`ss -ltnp 'sport = :" + port + "'` shows which)");
            return Optional.of("guestbridge: port " + port + " (" + setting + ") is already in use by " + holder + ". Stop that "
                    + "program, or start guestbridge on another port: " + setting + "=" + (port == 8080 ? 8081 : port == 8443 ? 8444 : port + 1)
                    + " java -jar ... ." + (setting.equals("HTTPS_PORT") ? " (HTTPS_PORT=0 turns HTTPS off.)" : ""));
        } catch (IOException e) {
            return Optional.of("guestbridge: cannot listen on port " + port + " (" + setting + "): " + describe(e)
                    + ". Choose another port: " + setting + "=... java -jar ... .");
        }
    }

    /** The process listening on a TCP port, from /proc: the socket's inode, then the process holding it. */
    static Optional<Long> listener(int port) {
        String inode = null;
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                for (String line : Files.readAllLines(Path.of(table), StandardCharsets.US_ASCII)) {
                    String[] f = line.trim().split("\\s+");
                    // sl local_address rem_address st ... inode (field 9); state 0A is LISTEN
                    if (f.length > 9 && f[1].contains(":") && f[3].equals("0A")
                            && Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16) == port) {
                        inode = f[9];
                        break;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // not Linux, or not readable: the message names no process
            }
            if (inode != null) {
                break;
            }
        }
        if (inode == null) {
            return Optional.empty();
        }
        String socket = "socket:[" + inode + "]";
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process : processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                try (Stream<Path> fds = Files.list(process.resolve("fd"))) {
                    if (fds.anyMatch(fd -> {
                        try {
                            return Files.readSymbolicLink(fd).toString().equals(socket);
                        } catch (IOException | UnsupportedOperationException e) {
                            return false;
                        }
                    })) {
                        return Optional.of(Long.parseLong(process.getFileName().toString()));
                    }
                } catch (IOException | RuntimeException e) {
                    // another user's process, or one that just ended
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * Whether anything answers at the host and port of an external {@code DB_URL}: a refused or unanswered
     * connection is said at once, rather than after Payara's boot as a pool that cannot connect.
     */
    static Optional<String> databaseProblem(String jdbcUrl) {
        List<InetSocketAddress> hosts = hosts(jdbcUrl);
        if (hosts.isEmpty()) {
            return Optional.empty();
        }
        List<String> failures = new ArrayList<>();
        for (InetSocketAddress host : hosts) {
            try (Socket socket = new Socket()) {
                socket.connect(host, 3000);
                return Optional.empty();
            } catch (IOException e) {
                failures.add(host.getHostString() + ":" + host.getPort() + " (" + describe(e) + ")");
            }
        }
        return Optional.of("guestbridge: the database DB_URL names does not answer: " + String.join(", ", failures) + ". Start that "
                + "MariaDB or correct DB_URL (jdbc:mariadb://HOST:PORT/guestbridge), or unset DB_URL to let the launcher run its "
                + "own embedded database.");
    }

    /** The host:port pairs of a MariaDB JDBC URL (port 3306 when none is given); empty when the form is not recognised. */
    static List<InetSocketAddress> hosts(String jdbcUrl) {
        Matcher m = JDBC_HOSTS.matcher(jdbcUrl.trim());
        List<InetSocketAddress> hosts = new ArrayList<>();
        if (!m.find() || m.group(1).contains("(")) {
            return hosts;
        }
        try {
            for (String part : m.group(1).split(",")) {
                addHost(hosts, part.trim());
            }
        } catch (RuntimeException unreadable) {
            // a port that is not a number: the server's driver says what is wrong with the URL
            hosts.clear();
        }
        return hosts;
    }

    private static void addHost(List<InetSocketAddress> hosts, String part) {
        {
            if (part.isEmpty()) {
                return;
            }
            String host = part;
            int port = 3306;
            if (part.startsWith("[")) {
                int close = part.indexOf(']');
                host = part.substring(1, close);
                if (part.length() > close + 2 && part.charAt(close + 1) == ':') {
                    port = Integer.parseInt(part.substring(close + 2));
                }
            } else if (part.indexOf(':') > 0) {
                host = part.substring(0, part.indexOf(':'));
                port = Integer.parseInt(part.substring(part.indexOf(':') + 1));
            }
            hosts.add(new InetSocketAddress(host, port));
        }
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        String kind = e.getClass().getSimpleName().replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
        return message == null || message.isBlank() ? kind : kind + ": " + message;
    }
}
