package io.mcpagent.core.internal.workflow;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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

    static PatternRef composed(String name, WorkflowPattern pattern) {
        return new PatternRef(name, NO_SERVICE, pattern);
    }

    static Optional<PatternRef> find(PluginManager plugins, String idOrName) {
        Optional<PatternRef> byId = plugins.get(idOrName).filter(info -> info.kind() == PluginKind.PATTERN)
                .flatMap(info -> plugins.service(info.id(), WorkflowPattern.class)
                        .map(p -> new PatternRef(info.id(), info.serviceId(), p)));
        if (byId.isPresent()) {
            return byId;
        }
        for (PluginInfo info : plugins.list(PluginKind.PATTERN)) {
            Optional<WorkflowPattern> pattern = plugins.service(info.id(), WorkflowPattern.class);
            if (pattern.isPresent() && idOrName.equals(pattern.get().name())) {
                return Optional.of(new PatternRef(info.id(), info.serviceId(), pattern.get()));
            }
        }
        return Optional.empty();
    }

    static String missing(PluginManager plugins, String idOrName) {
        List<String> installed = new ArrayList<>();
        for (PluginInfo info : plugins.list(PluginKind.PATTERN)) {
            installed.add(info.id());
        }
        return "no workflow pattern '" + idOrName + "' is installed"
                + (installed.isEmpty() ? " (none is)" : "; installed: " + String.join(", ", installed));
    }
}
