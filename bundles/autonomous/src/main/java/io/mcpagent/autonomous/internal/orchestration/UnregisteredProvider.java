package io.mcpagent.autonomous.internal.orchestration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

import io.mcpagent.api.runtime.BundleServices;
import io.mcpagent.api.runtime.ConfigurationOrigins;
import io.mcpagent.api.runtime.FactoryConfigurations;

/**
 * Why a pinned provider is not registered, in words an operator can act on: the etc/ file that configures it, if one
 * does, or the configuration made without a file (in the Web Console, under a generated PID, named by its {@code id}),
 * and the state of the bundle that would register it; and, for a task that names no provider and finds none, the
 * providers configured so that are not registered. Looked up only when a request is refused for it, so the look at
 * etc/ and Configuration Admin costs nothing otherwise.
 */
final class UnregisteredProvider {
    /**
     * The factory PIDs of the platform's providers start so, and each is its bundle's symbolic name
     * ({@code etc/io.mcpagent.provider.scripted~sp.cfg.json} is provider {@code sp} of bundle
     * {@code io.mcpagent.provider.scripted}).
     */
    static final String FACTORY_PID_PREFIX = "io.mcpagent.provider.";
    /** The family whose providers answer only tasks that name them, so none of them would take a task naming none. */
    private static final String SCRIPTED_FACTORY_PID = FACTORY_PID_PREFIX + "scripted";
    private static final String SUFFIX = ".cfg.json";
    /** The framework property naming the configuration folder, set by bin/mcp-agent. */
    static final String ETC_PROPERTY = "mcpagent.etc";

    private UnregisteredProvider() {
    }

    /**
     * "the pinned provider 'sp' is not registered: etc/io.mcpagent.provider.scripted~sp.cfg.json configures it, but
     * its bundle io.mcpagent.provider.scripted is RESOLVED, not started (felix:start 17); registered providers: slow".
     */
    static String explain(BundleContext context, String id, List<String> registered) {
        List<String> configured = configurations(context).stream().filter(made -> made.id().equals(id))
                .map(Configured::why).toList();
        StringBuilder why = new StringBuilder("the pinned provider '").append(id).append("' is not registered");
        if (configured.isEmpty()) {
            why.append(" and no etc/").append(FACTORY_PID_PREFIX).append("<family>~").append(id).append(SUFFIX)
                    .append(" configures it, nor a configuration made in the Web Console with the id '").append(id)
                    .append("'");
        } else {
            why.append(": ").append(String.join("; ", configured));
        }
        why.append("; registered providers: ");
        if (registered.isEmpty()) {
            why.append("none. ").append(DefaultAutonomousOrchestrator.ADD_PROVIDER);
        } else {
            why.append(String.join(", ", registered));
        }
        return why.toString();
    }

    /**
     * The providers that a configuration makes and that are not registered, scripted ones left out, each with why:
     * "'b': etc/io.mcpagent.provider.openai~b.cfg.json configures it, but its bundle io.mcpagent.provider.openai is
     * RESOLVED, not started (felix:start 57)", in the order of their ids. So that a task naming no provider, refused
     * for want of one, is told of the one configured (its bundle stopped, say) rather than to add one.
     */
    static List<String> configuredButNotRegistered(BundleContext context, Collection<String> registered) {
        return configurations(context).stream()
                .filter(made -> !registered.contains(made.id()) && !made.factoryPid().equals(SCRIPTED_FACTORY_PID))
                .sorted(Comparator.comparing(Configured::id)).map(made -> "'" + made.id() + "': " + made.why())
                .toList();
    }

    /** A configuration of provider {@code id} of that factory PID, and what became of the bundle that reads it. */
    private record Configured(String id, String factoryPid, String why) {
    }

    /**
     * The provider configurations: the files in etc/, then those Configuration Admin holds that no file made (a
     * file's is found in etc/), such as one made in the Web Console; none of the latter without ConfigAdmin.
     */
    private static List<Configured> configurations(BundleContext context) {
        List<Configured> configurations = new ArrayList<>();
        for (String file : configurationFiles(context)) {
            String factoryPid = file.substring(0, file.indexOf('~'));
            configurations.add(new Configured(file.substring(file.indexOf('~') + 1, file.length() - SUFFIX.length()),
                    factoryPid, configured(context, factoryPid, "etc/" + file)));
        }
        for (FactoryConfigurations.Held made : FactoryConfigurations.held(context, "(service.factoryPid="
                + FACTORY_PID_PREFIX + "*)").orElse(List.of())) {
            if (!made.fromFile()) {
                configurations.add(new Configured(made.id(), made.factoryPid(), configured(context, made.factoryPid(),
                        "configuration " + made.pid() + " (" + ConfigurationOrigins.NO_FILE + ")")));
            }
        }
        return configurations;
    }

    /** The names of the provider factory configuration files in etc/; none when etc/ cannot be read. */
    private static List<String> configurationFiles(BundleContext context) {
        String etc = context.getProperty(ETC_PROPERTY);
        try (Stream<Path> files = Files.list(Path.of(etc == null || etc.isBlank() ? "etc" : etc))) {
            return files.map(file -> file.getFileName().toString()).filter(name -> name.startsWith(FACTORY_PID_PREFIX)
                    && name.indexOf('~') > 0 && name.endsWith(SUFFIX)).sorted().toList();
        } catch (IOException | InvalidPathException e) {
            // no etc/ to read (an embedded runtime, a test framework): the answer names no file, it is not wrong
            return List.of();
        }
    }

    /** The configuration and what became of the bundle that reads it. */
    private static String configured(BundleContext context, String bundleName, String configuration) {
        String configures = configuration + " configures it";
        return BundleServices.installed(context, bundleName).map(bundle -> bundle.getState() == Bundle.ACTIVE
                ? configures + " and its bundle " + bundleName + " is ACTIVE: the configuration may be refused or the"
                        + " provider failed to start (see plugin:problems and data/log/mcp-agent.log)"
                : configures + ", but its bundle " + bundleName + " is " + BundleServices.stateName(bundle.getState())
                        + ", not started (felix:start " + bundle.getBundleId() + ")")
                .orElse(configures + ", but no bundle " + bundleName + " is installed (deploy it, or add its feature)");
    }
}
