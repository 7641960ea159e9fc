package io.mcpagent.core.internal.workflow;

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
        Optional<PatternRef> byId = plugins.get(idOrName).filter(info -> info.kind() == PluginKind.PATTERN)
                .flatMap(info -> plugins.service(info.id(), WorkflowPattern.class)
                        .map(p -> new PatternRef(info.id(), info.serviceId(), p)));
        if (byId.isPresent()) {
            return byId;
        }
        Map<String, PatternRef> byPluginId = registered(plugins);
        try {
            return AnyCaseLookup.find(WHAT, idOrName, idsByName(byPluginId)).map(byPluginId::get);
        } catch (AmbiguousNameException e) {
            return Optional.empty();
        }
    }

    /** The patterns registered now, by plugin id. */
    private static Map<String, PatternRef> registered(PluginManager plugins) {
        Map<String, PatternRef> byPluginId = new LinkedHashMap<>();
        for (PluginInfo info : plugins.list(PluginKind.PATTERN)) {
            plugins.service(info.id(), WorkflowPattern.class)
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
        Map<String, PatternRef> usable = registered(plugins);
        try {
            AnyCaseLookup.find(WHAT, idOrName, idsByName(usable));
        } catch (AmbiguousNameException e) {
            return e.getMessage();
        }
        List<String> installed = plugins.list(PluginKind.PATTERN).stream().map(PluginInfo::id).toList();
        String others = installed.isEmpty() ? " (none is)" : "; installed: " + String.join(", ", installed);
        Optional<String> unusableId;
        try {
            unusableId = unusableId(plugins, usable, idOrName);
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
        try {
            return unusableId(plugins, registered(plugins), idOrName).filter(id -> !plugins.activating(id)).isPresent();
        } catch (AmbiguousNameException e) {
            return false;
        }
    }

    /** The plugin id of the listed pattern of that id or name that is not among {@code usable}. */
    private static Optional<String> unusableId(PluginManager plugins, Map<String, PatternRef> usable, String idOrName) {
        Map<String, String> unusable = new LinkedHashMap<>();
        List<PluginInfo> listed = plugins.list(PluginKind.PATTERN).stream()
                .filter(info -> !usable.containsKey(info.id())).toList();
        listed.forEach(info -> unusable.put(info.id(), info.id()));
        listed.forEach(info -> unusable.putIfAbsent(info.name(), info.id()));
        return AnyCaseLookup.find(WHAT, idOrName, unusable);
    }
}
