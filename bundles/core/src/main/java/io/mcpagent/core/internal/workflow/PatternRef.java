package io.mcpagent.core.internal.workflow;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.mcpagent.api.plugin.AmbiguousNameException;
import io.mcpagent.api.plugin.AnyCaseLookup;
import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.plugin.PluginInfo;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.workflow.WorkflowPattern;

/**
 * A pattern plugin found now by id or by name, with the id of the service that provides it; or a pattern a caller
 * composed, which no service provides ({@link #NO_SERVICE}).
 */
record PatternRef(String id, long serviceId, WorkflowPattern pattern) {
    static final long NO_SERVICE = -1;
    private static final String WHAT = "workflow pattern";

    static PatternRef composed(String name, WorkflowPattern pattern) {
        return new PatternRef(name, NO_SERVICE, pattern);
    }

    /**
     * The pattern of that plugin id or name in any case, as the platform reads names a person typed
     * ({@link AnyCaseLookup}): an exact id, else an exact name, else the one pattern whose id or name is equal to it
     * ignoring case; empty when none is, or several are ({@link #missing} says which).
     */
    static Optional<PatternRef> find(PluginManager plugins, String idOrName) {
        return find(plugins, idOrName, services(plugins));
    }

    /**
     * {@link #find}, waiting for a pattern's component to finish activating only until {@code deadline}
     * ({@link System#nanoTime()}), whatever the plugin manager's own wait for an activation.
     */
    static Optional<PatternRef> findBy(PluginManager plugins, String idOrName, long deadline) {
        return find(plugins, idOrName, servicesBy(plugins, deadline));
    }

    private static Optional<PatternRef> find(PluginManager plugins, String idOrName, PatternServices services) {
        Optional<PatternRef> byId = plugins.get(idOrName).filter(info -> info.kind() == PluginKind.PATTERN)
                .flatMap(info -> services.of(info.id()).map(p -> new PatternRef(info.id(), info.serviceId(), p)));
        if (byId.isPresent()) {
            return byId;
        }
        Map<String, PatternRef> byPluginId = registered(plugins, services);
        try {
            return AnyCaseLookup.find(WHAT, idOrName, idsByName(byPluginId)).map(byPluginId::get);
        } catch (AmbiguousNameException e) {
            return Optional.empty();
        }
    }

    /** How a pattern's service is obtained by plugin id: with the plugin manager's wait for an activation, or less. */
    @FunctionalInterface
    private interface PatternServices {
        Optional<WorkflowPattern> of(String pluginId);
    }

    private static PatternServices services(PluginManager plugins) {
        return id -> plugins.service(id, WorkflowPattern.class);
    }

    private static PatternServices servicesBy(PluginManager plugins, long deadline) {
        return id -> plugins.service(id, WorkflowPattern.class,
                Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }

    /** The patterns registered now, by plugin id. */
    private static Map<String, PatternRef> registered(PluginManager plugins, PatternServices services) {
        Map<String, PatternRef> byPluginId = new LinkedHashMap<>();
        for (PluginInfo info : plugins.list(PluginKind.PATTERN)) {
            services.of(info.id())
                    .ifPresent(p -> byPluginId.put(info.id(), new PatternRef(info.id(), info.serviceId(), p)));
        }
        return byPluginId;
    }

    /** Each pattern's plugin id, then each name (one equal to an id names that id's pattern), to the plugin id. */
    private static Map<String, String> idsByName(Map<String, PatternRef> byPluginId) {
        Map<String, String> idsByName = new LinkedHashMap<>();
        byPluginId.keySet().forEach(id -> idsByName.put(id, id));
        byPluginId.values().forEach(ref -> ref.name().ifPresent(name -> idsByName.putIfAbsent(name, ref.id())));
        return idsByName;
    }

    /**
     * The pattern's name; empty when it has none or fails to say it (a deployed pattern's bug): only its id names it
     * then, and every other pattern is still found (the autonomous layer logs the failure once).
     */
    private Optional<String> name() {
        try {
            return Optional.ofNullable(pattern.name());
        } catch (RuntimeException | Error e) {
            return Optional.empty();
        }
    }

    /**
     * Why {@link #find} found no pattern of that id or name: none is installed, several fit it in any case, or the one
     * registered under that plugin id or the plugin name plugin:list shows cannot be used (its component failed to
     * activate), as its health says.
     */
    static String missing(PluginManager plugins, String idOrName) {
        PatternServices services = services(plugins);
        Map<String, PatternRef> usable = registered(plugins, services);
        try {
            AnyCaseLookup.find(WHAT, idOrName, idsByName(usable));
        } catch (AmbiguousNameException e) {
            return e.getMessage();
        }
        List<String> installed = plugins.list(PluginKind.PATTERN).stream().map(PluginInfo::id).toList();
        String others = installed.isEmpty() ? " (none is)" : "; installed: " + String.join(", ", installed);
        Optional<String> unusableId;
        try {
            unusableId = unusableId(plugins, usable, services, idOrName);
        } catch (AmbiguousNameException e) {
            return e.getMessage();
        }
        return unusableId.map(id -> "workflow pattern '" + id + "' is installed but cannot be used: "
                + plugins.health(id).map(PluginHealth::message).filter(message -> !message.isBlank())
                        .orElse("its service is gone") + others)
                .orElse("no workflow pattern '" + idOrName + "' is installed" + others);
    }

    /**
     * Whether a pattern of that plugin id or listed name is registered but cannot be used (its component failed to
     * activate): waiting for a pattern of that id or name to come back would not help, it is back and broken. One
     * whose component is still activating is not: it may become usable by itself.
     */
    static boolean registeredUnusable(PluginManager plugins, String idOrName) {
        return registeredUnusable(plugins, idOrName, services(plugins));
    }

    /**
     * {@link #registeredUnusable}, waiting for a pattern's activation only until {@code deadline}, as {@link #findBy}.
     */
    static boolean registeredUnusableBy(PluginManager plugins, String idOrName, long deadline) {
        return registeredUnusable(plugins, idOrName, servicesBy(plugins, deadline));
    }

    private static boolean registeredUnusable(PluginManager plugins, String idOrName, PatternServices services) {
        try {
            return unusableId(plugins, registered(plugins, services), services, idOrName)
                    .filter(id -> !plugins.activating(id)).isPresent();
        } catch (AmbiguousNameException e) {
            return false;
        }
    }

    /**
     * The plugin id of the listed pattern of that id or name that is not among {@code usable} and whose service cannot
     * be obtained now either: one registered after {@code usable} was read is listed now, and usable (a replacement
     * that arrived during a wait for it).
     */
    private static Optional<String> unusableId(PluginManager plugins, Map<String, PatternRef> usable,
                                               PatternServices services, String idOrName) {
        Map<String, String> unusable = new LinkedHashMap<>();
        List<PluginInfo> listed = plugins.list(PluginKind.PATTERN).stream()
                .filter(info -> !usable.containsKey(info.id()) && services.of(info.id()).isEmpty()).toList();
        listed.forEach(info -> unusable.put(info.id(), info.id()));
        listed.forEach(info -> unusable.putIfAbsent(info.name(), info.id()));
        return AnyCaseLookup.find(WHAT, idOrName, unusable);
    }
}
