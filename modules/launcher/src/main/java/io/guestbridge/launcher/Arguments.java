package io.guestbridge.launcher;

import java.util.ArrayList;
import java.util.List;

/** The launcher's command line: a command with its operands, and the flags any command takes. */
record Arguments(String command, List<String> operands, boolean verbose) {

    static final String HELP = """
            usage: java -jar modules/launcher/target/guestbridge-launcher.jar [--verbose] [COMMAND]

            Runs guestbridge on this machine: an embedded MariaDB (data in GUESTBRIDGE_HOME) and Payara Micro with
            the guestbridge WAR, with development keys, tokens and a TLS certificate.

            commands:
              run                   start the database and the server (the default); Ctrl-C stops both
              token ROLE [SUBJECT]  print a development bearer token, valid 12 h, for ROLE: operator,
                                    compliance-officer, dpo or integration (the server must use this home's keys)
              database              run only the embedded database and print its URLs and users, until Ctrl-C
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
              SERVER_JAVA_OPTS      the server's JVM options (default -Xmx512m -XX:+UseSerialGC)
              START_TIMEOUT_SECONDS how long to wait for the server before saying so (default 240)

            README.md lists every setting and walks through a first guest.
            """;

    static Arguments parse(String[] args) {
        boolean verbose = false;
        List<String> words = new ArrayList<>();
        for (String arg : args) {
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
        if (words.isEmpty()) {
            return new Arguments("run", List.of(), verbose);
        }
        String command = words.get(0);
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
            default -> throw new IllegalArgumentException("unknown command '" + command + "'");
        }
    }
}
