package io.mcpagent.console.internal;

import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mcpagent.api.runtime.GuardedConfiguration;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.runtime.ProblemReporter;

/**
 * The only component of the console's configuration ({@link ConsoleConfig}, PID {@value ConsoleConfig#PID}): the
 * security provider and the Plugins page read the {@link ConsoleSettings} in force from here at each use. They must
 * not take the PID themselves: a changed configuration changes the service properties of the component that takes
 * it, and the Web Console answers a modified security provider by unregistering its servlet and registering it
 * again, so requests in that moment got 404. A refused configuration leaves the settings in force and is this
 * component's {@link Problem} until a valid one is saved.
 */
@Component(service = {ConsoleConfiguration.class, ProblemReporter.class}, configurationPid = ConsoleConfig.PID)
@Designate(ocd = ConsoleConfig.class)
public final class ConsoleConfiguration implements ProblemReporter {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleConfiguration.class);

    private final GuardedConfiguration<ConsoleConfig, ConsoleSettings> configuration =
            new GuardedConfiguration<>(ConsoleConfig.PID, ConsoleConfig.class, ConsoleSettings::from, LOG::error,
                    LOG::info);

    @Activate
    public ConsoleConfiguration(ConsoleConfig config) {
        configuration.update(config);
    }

    /**
     * Takes a changed configuration; the console's components see it at their next read. A refused configuration
     * changes nothing.
     */
    @Modified
    void modified(ConsoleConfig config) {
        configuration.update(config);
    }

    /** The settings in force. */
    ConsoleSettings settings() {
        return configuration.settings();
    }

    /** A refused console configuration, while it is not repaired. */
    @Override
    public List<Problem> problems() {
        return configuration.problems();
    }
}
