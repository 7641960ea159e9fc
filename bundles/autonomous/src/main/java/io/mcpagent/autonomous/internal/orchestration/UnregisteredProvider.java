package io.mcpagent.autonomous.internal.orchestration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * and the state of the bundle that would register it. Looked up only when a request is refused for it, so the look at
 * etc/ and Configuration Admin costs nothing otherwise.
 */
final class UnregisteredProvider {
    /**
     * The factory PIDs of the platform's providers start so, and each is its bundle's symbolic name
     * ({@code etc/io.mcpagent.provider.scripted~sp.cfg.json} is provider {@code sp} of bundle
     * {@code io.mcpagent.provider.scripted}).
     */
    static final String FACTORY_PID_PREFIX = "io.mcpagent.provider.";
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
        List<String> configured = new ArrayList<>();
        for (String file : configurationFiles(context, id)) {
            configured.add(configured(context, file.substring(0, file.indexOf('~')), "etc/" + file));
        }
        for (FactoryConfigurations.Held made : configurationsWithoutFile(context, id)) {
            configured.add(configured(context, made.factoryPid(), "configuration " + made.pid() + " ("
                    + ConfigurationOrigins.NO_FILE + ")"));
        }
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

    /** The names of the files in etc/ that configure provider {@code id}; none when etc/ cannot be read. */
    private static List<String> configurationFiles(BundleContext context, String id) {
        String etc = context.getProperty(ETC_PROPERTY);
        String ending = "~" + id + SUFFIX;
        try (Stream<Path> files = Files.list(Path.of(etc == null || etc.isBlank() ? "etc" : etc))) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.startsWith(FACTORY_PID_PREFIX) && name.endsWith(ending)).sorted().toList();
        } catch (IOException | InvalidPathException e) {
            // no etc/ to read (an embedded runtime, a test framework): the answer names no file, it is not wrong
            return List.of();
        }
    }

    /**
     * The provider configurations Configuration Admin holds that no file made (a file's is found in etc/) and that
     * make provider {@code id}, such as one made in the Web Console; none without ConfigAdmin.
     */
    private static List<FactoryConfigurations.Held> configurationsWithoutFile(BundleContext context, String id) {
        return FactoryConfigurations.held(context, "(service.factoryPid=" + FACTORY_PID_PREFIX + "*)")
                .orElse(List.of()).stream().filter(held -> !held.fromFile() && held.id().equals(id)).toList();
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
