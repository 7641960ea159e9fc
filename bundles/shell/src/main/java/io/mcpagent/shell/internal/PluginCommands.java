package io.mcpagent.shell.internal;

import static io.mcpagent.shell.internal.CommandArguments.NO_ARGUMENTS;
import static io.mcpagent.shell.internal.CommandArguments.argument;
import static io.mcpagent.shell.internal.CommandArguments.noArguments;
import static io.mcpagent.shell.internal.CommandArguments.optionalArgument;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import io.mcpagent.api.security.Role;
import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.plugin.PluginInfo;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.plugin.PluginProperties;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.runtime.ProblemReporter;

/**
 * The {@code plugin:} Gogo commands. Each returns the text Gogo prints. Every failure (an unknown kind or id, the
 * whiteboard not running) is thrown as an exception whose message says what to do: Gogo prints it as
 * {@code gogo: IllegalArgumentException: <message>} and keeps it in {@code $exception}, so scripts see the failure.
 * Arguments are taken as lists and checked by {@link CommandArguments}, so a missing id or an extra word is named
 * with the command's usage instead of Gogo's {@code Cannot coerce ...}.
 * <p>
 * The whiteboard reference is optional and dynamic, so the commands stay available (and say why they cannot
 * answer) while {@code io.mcpagent.core} is stopped.
 */
@Component(service = PluginCommands.class)
@GogoCommand(scope = "plugin", function = {"list", "info", "problems"})
public final class PluginCommands {
    /** Source of the problems this shell adds itself (the whiteboard missing, a reporter failing). */
    static final String SOURCE = "shell";
    /** How the commands with arguments are called, for the message when one is missing or split. */
    private static final String LIST = "plugin:list [kind] (kind: " + PluginKind.validIds() + ")";
    private static final String INFO = "plugin:info <id> (plugin:list lists them)";
    private static final Comparator<PluginInfo> BY_KIND_THEN_ID =
            Comparator.comparing(PluginInfo::kind).thenComparing(PluginInfo::id);
    private static final Comparator<Problem> BY_SUBJECT =
            Comparator.comparing(Problem::subject).thenComparing(Problem::message);

    private final OptionalReference<PluginManager> plugins;
    private final ShellSecurity security;
    private final ShellMasker masker;

    @Activate
    public PluginCommands(BundleContext context, @Reference ShellSecurity security, @Reference ShellMasker masker) {
        this.plugins = Plugins.whiteboard(context);
        this.security = security;
        this.masker = masker;
    }
    private final ProblemReporters reporters = new ProblemReporters();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindPluginManager")
    void bindPluginManager(PluginManager manager) {
        plugins.bind(manager);
    }

    void unbindPluginManager(PluginManager manager) {
        plugins.unbind(manager);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeReporter")
    void addReporter(ProblemReporter reporter, Map<String, Object> properties) {
        reporters.add(reporter, properties);
    }

    void removeReporter(Map<String, Object> properties) {
        reporters.remove(properties);
    }

    @Descriptor("list the plugins (providers, patterns, analyzers, MCP servers), all or those of one kind, ordered by"
            + " kind and id")
    public String list(CommandSession session,
                       @Descriptor("plugin kind: provider, pattern, analyzer or mcp-server (default: every kind)")
                       String... kind) {
        security.require(session, Role.VIEWER, "plugin:list");
        Optional<String> given = optionalArgument(kind, "one kind", LIST);
        if (given.isEmpty()) {
            return table(plugins.require().list(), "");
        }
        PluginKind parsed = PluginKind.parse(given.get()).orElseThrow(() -> new IllegalArgumentException(
                "unknown plugin kind '" + given.get() + "'; valid kinds: " + PluginKind.validIds()));
        return table(plugins.require().list(parsed), " of kind " + parsed.id());
    }

    @Descriptor("show one plugin: its identity, bundle, health and mcpagent.* service properties")
    public String info(CommandSession session, @Descriptor("plugin id, as shown by plugin:list") String... id) {
        security.require(session, Role.VIEWER, "plugin:info");
        String pluginId = argument(id, "the plugin id", INFO);
        PluginManager manager = plugins.require();
        PluginInfo plugin = manager.get(pluginId).orElseThrow(() -> new IllegalArgumentException(
                "no plugin with id '" + pluginId + "'; see plugin:list"));
        PluginHealth health = Plugins.health(manager, pluginId, "plugin:list");
        List<String> lines = new ArrayList<>();
        // Keys are the PluginInfo component names, as in the REST API's JSON.
        line(lines, "id", plugin.id());
        line(lines, "kind", plugin.kind().id());
        line(lines, "version", plugin.version());
        line(lines, "name", plugin.name());
        line(lines, "description", plugin.description());
        line(lines, "bundleSymbolicName", plugin.bundleSymbolicName());
        line(lines, "bundleVersion", plugin.bundleVersion());
        line(lines, "bundleId", String.valueOf(plugin.bundleId()));
        line(lines, "serviceId", String.valueOf(plugin.serviceId()));
        line(lines, "health.status", health.status().name());
        // a provider's or a server's health may quote its error: masked, as mcp:health and REST show it
        line(lines, "health.message", masker.mask(health.message()));
        line(lines, "health.checkedAt", timestamp(health.checkedAt()));
        new TreeMap<>(plugin.properties()).forEach((key, value) -> {
            if (key.startsWith(PluginProperties.PREFIX)) {
                line(lines, key, value);
            }
        });
        return String.join("\n", lines);
    }

    @Descriptor("list what the runtime could not take into use (plugins with missing or duplicate ids,"
            + " jars in deploy/ that are corrupt or do not resolve, malformed configuration files), by source")
    public String problems(CommandSession session, @Descriptor(NO_ARGUMENTS) String... none) {
        security.require(session, Role.VIEWER, "plugin:problems");
        noArguments(none, "plugin:problems");
        Set<Problem> all = new LinkedHashSet<>();
        if (!plugins.isBound()) {
            all.add(new Problem(SOURCE, "io.mcpagent.core", plugins.missingMessage(), Instant.now()));
        }
        all.addAll(reporters.problems(SOURCE));
        if (all.isEmpty()) {
            return "no problems";
        }
        Map<String, List<Problem>> bySource = new TreeMap<>();
        all.forEach(p -> bySource.computeIfAbsent(p.source(), s -> new ArrayList<>()).add(p));
        List<String> blocks = new ArrayList<>();
        bySource.forEach((source, problems) -> {
            problems.sort(BY_SUBJECT);
            TextTable table = TextTable.of("SUBJECT", "SINCE", "MESSAGE");
            // a server's problem may quote what it wrote
            problems.forEach(p -> table.row(p.subject(), timestamp(p.since()), masker.mask(p.message())));
            blocks.add(TextTable.cell(source) + " (" + TextTable.count(problems.size(), "problem") + ")\n"
                    + table.render("  "));
        });
        blocks.add(TextTable.count(all.size(), "problem"));
        return String.join("\n", blocks);
    }

    private static String table(List<PluginInfo> plugins, String qualifier) {
        String count = TextTable.count(plugins.size(), "plugin") + qualifier;
        if (plugins.isEmpty()) {
            return count;
        }
        TextTable table = TextTable.of("ID", "KIND", "VERSION", "NAME", "BUNDLE");
        plugins.stream().sorted(BY_KIND_THEN_ID).forEach(p -> table.row(p.id(), p.kind().id(), p.version(),
                p.name(), bundle(p)));
        return table.render() + "\n" + count;
    }

    private static String bundle(PluginInfo plugin) {
        if (plugin.bundleSymbolicName().isEmpty()) {
            return null;
        }
        return plugin.bundleVersion().isEmpty()
                ? plugin.bundleSymbolicName()
                : plugin.bundleSymbolicName() + "/" + plugin.bundleVersion();
    }

    private static void line(List<String> lines, String key, String value) {
        lines.add(TextTable.field(key, value));
    }

    private static String timestamp(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }
}
