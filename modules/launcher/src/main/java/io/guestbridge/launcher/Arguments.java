package io.guestbridge.launcher;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The launcher's command line: a command with its operands, the flags any command takes, and the named
 * options of the commands that have them ({@code --name value} or {@code --name=value}, each possibly repeated).
 */
record Arguments(String command, List<String> operands, boolean verbose, Map<String, List<String>> options) {

    /** The options that take a value, and the commands they belong to. */
    private static final Map<String, List<String>> VALUE_OPTIONS = Map.of(
            "--records", List.of("verify-audit"), "--checkpoint", List.of("verify-audit"), "--key", List.of("verify-audit", "verify-certificate"),
            "--certificate", List.of("verify-certificate"));

    Arguments(String command, List<String> operands, boolean verbose) {
        this(command, operands, verbose, Map.of());
    }

    /** The values given for {@code option}, in order; empty when it was not given. */
    List<String> option(String option) {
        return options.getOrDefault(option, List.of());
    }

    static final String HELP = """
            usage: java -jar modules/launcher/target/guestbridge-launcher.jar [--verbose] [COMMAND]

            Runs guestbridge on this machine: an embedded MariaDB (data in GUESTBRIDGE_HOME) and Payara Micro with
            the guestbridge WAR, with development keys, tokens and a TLS certificate.

            commands:
              run                   start the database and the server (the default); Ctrl-C stops both
              token ROLE [SUBJECT]  print a development bearer token, valid 12 h, for ROLE: operator,
                                    compliance-officer, dpo or integration (the server must use this home's keys)
              database              run only the embedded database and print its URLs and users, until Ctrl-C
              verify-audit --records FILE --checkpoint FILE [--checkpoint FILE ...] --key FILE
                                    verify an export of the audit log offline, with no database and no server:
                                    the checkpoints' signatures with the verifier key (audit-verifier.key,
                                    <name>+<key id>+<key>), the records' hash chain, and the RFC 9162 Merkle root
                                    of the records against each checkpoint. FILE for --records holds the records
                                    from sequence 1 on, unfiltered, in order, as GET /api/v1/audit/records returns
                                    them: its pages (one after another, or one per line) or a JSON array of pages
                                    or of records. A checkpoint is a signed note as GET /api/v1/audit/checkpoint
                                    returns it or a witness keeps it (checkpoint-<size>). Exit status 0: the
                                    records hold; 1: verification failed (the first bad record or range and why);
                                    2: bad input (an unreadable file, a missing option, not JSON, not a key)
              verify-certificate --certificate FILE --key FILE
                                    verify a privacy request's certificate offline (GET /api/v1/privacy/requests/
                                    {id}/certificate, or the console's download), with no database and no server:
                                    its signature and its checkpoint's with the verifier key (audit-verifier.key),
                                    that its outcomes are the ones signed, and each audit record's RFC 9162
                                    inclusion proof against the checkpoint's root. Exit status 0: valid; 1: not
                                    valid (what fails); 2: bad input (unreadable, not JSON, not a key)
              help                  this text (also --help, -h)

            options:
              --verbose, -v         show the server's and the database's output here as well as in their log files
                                    (GUESTBRIDGE_HOME/logs); the same as GUESTBRIDGE_VERBOSE=true

            settings (environment variables, or -DNAME=value before -jar):
              GUESTBRIDGE_HOME      where the database, keys, certificate and logs live (default ~/.guestbridge)
              HTTP_PORT             the HTTP port (default 8080)
              HTTPS_PORT            the HTTPS port (default 8443; 0 turns HTTPS off)
              DB_URL                an external MariaDB instead of the embedded one, with DB_USER, DB_PASSWORD,
                                    KEYS_DB_URL, KEYS_DB_USER, KEYS_DB_PASSWORD
              TLS_KEYSTORE          a PKCS#12 keystore with your certificate, with TLS_KEYSTORE_PASSWORD, TLS_CERT_ALIAS
              EMBEDDED_DB_BUFFER_POOL_MB
                                    the embedded MariaDB's page cache in MB (default a quarter of the machine's
                                    memory, 128 to 16384); data beyond it is read from disk and decrypted again
              SERVER_JAVA_OPTS      the server's JVM options (default -Xmx512m -XX:+UseSerialGC)
              START_TIMEOUT_SECONDS how long to wait for the server before saying so (default 240)
              LOG_FILE_MAX_MB       a log file past this is set aside before its day is over (default 100); each
                                    is set aside at the day's change in UTC as server.log.YYYY-MM-DD

            README.md lists every setting and walks through a first guest.
            """;

    static Arguments parse(String[] args) {
        boolean verbose = false;
        List<String> words = new ArrayList<>();
        Map<String, List<String>> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (VALUE_OPTIONS.containsKey(name)) {
                String value;
                if (arg.contains("=")) {
                    value = arg.substring(arg.indexOf('=') + 1);
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw new IllegalArgumentException("option '" + name + "' needs a value");
                }
                options.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
                continue;
            }
            switch (arg) {
                case "--verbose", "-v" -> verbose = true;
                case "--help", "-h" -> words.add(0, "help");
                default -> {
                    if (arg.startsWith("-")) {
                        throw new IllegalArgumentException("unknown option '" + arg + "'");
                    }
                    words.add(arg);
                }
            }
        }
        String command = words.isEmpty() ? "run" : words.get(0);
        for (String option : options.keySet()) {
            if (!command.equals("help") && !VALUE_OPTIONS.get(option).contains(command)) {
                throw new IllegalArgumentException("option '" + option + "' belongs to '" + String.join("' and '", VALUE_OPTIONS.get(option))
                        + "', not to '" + command + "'");
            }
        }
        if (words.isEmpty()) {
            return new Arguments("run", List.of(), verbose);
        }
        List<String> operands = List.copyOf(words.subList(1, words.size()));
        switch (command) {
            case "help" -> {
                return new Arguments("help", List.of(), verbose);
            }
            case "run", "database" -> {
                if (!operands.isEmpty()) {
                    throw new IllegalArgumentException("'" + command + "' takes no arguments, but was given '" + String.join(" ", operands) + "'");
                }
                return new Arguments(command, operands, verbose);
            }
            case "token" -> {
                if (operands.isEmpty() || operands.size() > 2 || !Launcher.ROLES.contains(operands.get(0))) {
                    throw new IllegalArgumentException("usage: token ROLE [SUBJECT], ROLE one of " + String.join(", ", Launcher.ROLES)
                            + (operands.isEmpty() ? "" : "; was given '" + String.join(" ", operands) + "'"));
                }
                return new Arguments(command, operands, verbose);
            }
            case "verify-audit" -> {
                if (!operands.isEmpty()) {
                    throw new IllegalArgumentException("'verify-audit' takes its files as options, but was also given '" + String.join(" ", operands) + "'");
                }
                for (String required : List.of("--records", "--checkpoint", "--key")) {
                    if (!options.containsKey(required)) {
                        throw new IllegalArgumentException("usage: verify-audit --records FILE --checkpoint FILE [--checkpoint FILE ...] --key FILE; "
                                + required + " is missing");
                    }
                }
                if (options.get("--records").size() > 1 || options.get("--key").size() > 1) {
                    throw new IllegalArgumentException("verify-audit takes one --records file and one --key file");
                }
                Map<String, List<String>> frozen = new LinkedHashMap<>();
                options.forEach((name, values) -> frozen.put(name, List.copyOf(values)));
                return new Arguments(command, operands, verbose, Map.copyOf(frozen));
            }
            case "verify-certificate" -> {
                if (!operands.isEmpty()) {
                    throw new IllegalArgumentException("'verify-certificate' takes its files as options, but was also given '"
                            + String.join(" ", operands) + "'");
                }
                for (String required : List.of("--certificate", "--key")) {
                    if (options.getOrDefault(required, List.of()).size() != 1) {
                        throw new IllegalArgumentException("usage: verify-certificate --certificate FILE --key FILE; give " + required + " once");
                    }
                }
                return new Arguments(command, operands, verbose, Map.of("--certificate", List.copyOf(options.get("--certificate")),
                        "--key", List.copyOf(options.get("--key"))));
            }
            default -> throw new IllegalArgumentException("unknown command '" + command + "'");
        }
    }
}
