package io.guestbridge.crmsync.internal.connectors;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The CRM connectors configured in {@code crm.connectors} (comma-separated names), each validated at
 * start-up. An invalid one is logged and disabled, with its problems shown in health; the others run.
 */
@ApplicationScoped
public class Connectors {

    private static final Logger LOG = Logger.getLogger(Connectors.class.getName());

    @Inject
    Config config;

    private List<ConnectorSettings> all = List.of();

    @PostConstruct
    void read() {
        List<ConnectorSettings> read = new ArrayList<>();
        for (String name : config.getOptionalValue("crm.connectors", String.class).orElse("").split(",")) {
            String trimmed = name.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (!trimmed.matches("[a-z0-9][a-z0-9-]{0,40}")) {
                LOG.severe("CRM connector name '" + trimmed + "' must be lower-case letters, digits and dashes; ignored");
                continue;
            }
            ConnectorSettings settings = ConnectorSettings.from(config, trimmed);
            if (!settings.enabled()) {
                LOG.severe("CRM connector '" + trimmed + "' is disabled: " + String.join("; ", settings.problems()));
            }
            read.add(settings);
        }
        all = List.copyOf(read);
    }

    /** The connectors this configuration names, read as the server reads its own at start-up. */
    public static Connectors of(Config config) {
        Connectors connectors = new Connectors();
        connectors.config = config;
        connectors.read();
        return connectors;
    }

    public List<ConnectorSettings> all() {
        return all;
    }

    public List<ConnectorSettings> enabled() {
        return all.stream().filter(ConnectorSettings::enabled).toList();
    }

    public Optional<ConnectorSettings> named(String name) {
        return all.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
