package io.mcpagent.shell.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.plugin.PluginInfo;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.runtime.ProblemReporter;

/**
 * Gogo commands {@code plugin:list}, {@code plugin:info} and {@code plugin:problems}. They return text for the
 * terminal; mistakes of the operator come back as a message saying what to type instead, not as an exception.
 */
@Component(service = PluginCommands.class, property = {
        "osgi.command.scope=plugin",
        "osgi.command.function=list",
        "osgi.command.function=info",
        "osgi.command.function=problems"})
public final class PluginCommands {
    static final String NOT_RUNNING = "the plugin whiteboard is not running (bundle io.mcpagent.core); start it and retry";

    private volatile PluginManager plugins;
    private final List<ProblemReporter> reporters = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindPlugins(PluginManager manager) {
        this.plugins = manager;
    }

    PluginManager plugins() {
        return plugins;
    }

    void unbindPlugins(PluginManager manager) {
        if (this.plugins == manager) {
            this.plugins = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addReporter(ProblemReporter reporter) {
        reporters.add(reporter);
    }

    void removeReporter(ProblemReporter reporter) {
        reporters.remove(reporter);
    }

    @Descriptor("list the installed plugins (providers, patterns, analyzers, MCP servers)")
    public String list() {
        return list(null);
    }

    @Descriptor("list the installed plugins of one kind")
    public String list(@Descriptor("kind: provider, pattern, analyzer or mcp-server") String kind) {
        PluginManager manager = plugins;
        if (manager == null) {
            return NOT_RUNNING;
        }
        List<PluginInfo> listed;
        if (kind == null) {
            listed = manager.list();
        } else {
            Optional<PluginKind> parsed = PluginKind.parse(kind);
            if (parsed.isEmpty()) {
                return "unknown plugin kind '" + kind + "'; use one of: " + PluginKind.validIds();
            }
            listed = manager.list(parsed.get());
        }
        TextTable table = new TextTable("ID", "KIND", "VERSION", "NAME", "BUNDLE");
        listed.forEach(p -> table.row(p.id(), p.kind().id(), p.version(), p.name(),
                p.bundleSymbolicName() + " " + p.bundleVersion()));
        String count = listed.size() + (listed.size() == 1 ? " plugin" : " plugins")
                + (kind == null ? "" : " of kind " + PluginKind.parse(kind).get().id());
        return (listed.isEmpty() ? "" : table.toString()) + count;
    }

    @Descriptor("show everything known about one plugin, with its health")
    public String info(@Descriptor("plugin id, as shown by plugin:list") String id) {
        PluginManager manager = plugins;
        if (manager == null) {
            return NOT_RUNNING;
        }
        Optional<PluginInfo> found = manager.get(id);
        if (found.isEmpty()) {
            return "no plugin with id '" + id + "'; see plugin:list";
        }
        PluginInfo p = found.get();
        PluginHealth health = manager.health(id).orElse(PluginHealth.unknown("the plugin left meanwhile"));
        StringBuilder out = new StringBuilder();
        line(out, "id", p.id());
        line(out, "kind", p.kind().id());
        line(out, "name", p.name());
        line(out, "description", p.description());
        line(out, "version", p.version());
        line(out, "bundle", p.bundleSymbolicName() + " " + p.bundleVersion() + " (id " + p.bundleId() + ")");
        line(out, "service id", String.valueOf(p.serviceId()));
        line(out, "health", health.status() + (health.message().isEmpty() ? "" : ": " + health.message()));
        for (Map.Entry<String, String> property : p.properties().entrySet()) {
            line(out, property.getKey(), property.getValue());
        }
        return out.toString().stripTrailing();
    }

    @Descriptor("list what the runtime could not take into use: broken jars in deploy/, unresolvable bundles,"
            + " malformed configuration files, conflicting plugins")
    public String problems() {
        List<Problem> all = new ArrayList<>();
        reporters.forEach(reporter -> all.addAll(reporter.problems()));
        if (all.isEmpty()) {
            return "no problems";
        }
        all.sort(Comparator.comparing(Problem::source).thenComparing(Problem::subject));
        StringBuilder out = new StringBuilder();
        String source = null;
        for (Problem problem : all) {
            if (!problem.source().equals(source)) {
                source = problem.source();
                out.append(source).append(":\n");
            }
            out.append("  ").append(problem.subject()).append(": ").append(problem.message())
                    .append(" (since ").append(problem.since()).append(")\n");
        }
        return out.append(all.size()).append(all.size() == 1 ? " problem" : " problems").toString();
    }

    private static void line(StringBuilder out, String key, String value) {
        if (value != null && !value.isEmpty()) {
            out.append(key).append(": ").append(value).append('\n');
        }
    }
}
