package io.mcpagent.api.runtime;

import java.util.Comparator;
import java.util.Dictionary;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;

/**
 * The factory configurations Configuration Admin holds, whatever made them: a file in {@code etc/} or the Felix Web
 * Console, which gives a configuration it creates a generated PID, {@code <factoryPid>.<uuid>}, and no file (1.20).
 * For what must find configured plugins where they are configured, not only in {@code etc/}: each with the id of the
 * instance it makes, by the rule the provider support bundle's {@code FactoryInstanceId} refuses configurations by.
 */
public final class FactoryConfigurations {
    /** The property that names the instance of a configuration whose PID does not, such as one the console made. */
    public static final String ID_PROPERTY = "id";

    private FactoryConfigurations() {
    }

    /**
     * One factory configuration.
     *
     * @param pid        its PID
     * @param factoryPid its factory PID
     * @param id         the id of the instance it makes ({@link #instanceId})
     * @param fromFile   whether a file in {@code etc/} made it ({@link ConfigurationOrigins#FILE_PROPERTY})
     */
    public record Held(String pid, String factoryPid, String id, boolean fromFile) {
    }

    /**
     * The id of the instance configuration {@code pid} makes: the part after '~' of the PID, else its
     * {@value #ID_PROPERTY} property (stripped) when it has one, else the PID.
     */
    public static String instanceId(String pid, Object idProperty) {
        int tilde = pid.indexOf('~');
        if (tilde >= 0) {
            return pid.substring(tilde + 1);
        }
        String named = idProperty == null ? "" : idProperty.toString().strip();
        return named.isEmpty() ? pid : named;
    }

    /**
     * The factory configurations Configuration Admin holds that match {@code filter} (e.g.
     * {@code (service.factoryPid=io.mcpagent.provider.*)}), by PID; empty when that cannot be told: no ConfigAdmin, no
     * framework ({@code context} null), a bundle stopping, or a store that cannot be read.
     */
    public static Optional<List<Held>> held(BundleContext context, String filter) {
        return ConfigurationOrigins.askConfigurationAdmin(context, admin -> {
            Configuration[] found = admin.listConfigurations(filter);
            return Stream.of(found == null ? new Configuration[0] : found)
                    .filter(configuration -> configuration.getFactoryPid() != null)
                    .map(FactoryConfigurations::held).flatMap(Optional::stream)
                    .sorted(Comparator.comparing(Held::pid)).toList();
        });
    }

    /** Empty for a configuration deleted meanwhile. */
    private static Optional<Held> held(Configuration configuration) {
        Dictionary<String, Object> properties = configuration.getProperties();
        if (properties == null) {
            return Optional.empty();
        }
        String pid = configuration.getPid();
        return Optional.of(new Held(pid, configuration.getFactoryPid(),
                instanceId(pid, properties.get(ID_PROPERTY)),
                properties.get(ConfigurationOrigins.FILE_PROPERTY) != null));
    }
}
