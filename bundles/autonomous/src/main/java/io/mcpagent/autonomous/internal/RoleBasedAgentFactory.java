package io.mcpagent.autonomous.internal;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mcpagent.api.agent.AgentLimits;
import io.mcpagent.api.agent.AgentSpec;
import io.mcpagent.api.autonomous.AgentPlan;
import io.mcpagent.api.autonomous.AgentPlanOptions;
import io.mcpagent.api.autonomous.DynamicAgentFactory;
import io.mcpagent.api.autonomous.PlannedAgent;
import io.mcpagent.api.autonomous.StrategyRecommendation;
import io.mcpagent.api.llm.ModelRequirements;
import io.mcpagent.api.mcp.CatalogEntry;
import io.mcpagent.api.mcp.McpCatalog;
import io.mcpagent.api.mcp.McpServer;
import io.mcpagent.api.mcp.ToolDescriptor;
import io.mcpagent.api.mcp.ToolFilter;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.plugin.PluginProperties;
import io.mcpagent.api.runtime.ConfigRanges;
import io.mcpagent.api.runtime.GuardedConfiguration;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.runtime.ProblemReporter;
import io.mcpagent.api.task.Capability;
import io.mcpagent.api.task.Task;
import io.mcpagent.api.task.TaskAnalysis;

/**
 * The {@link DynamicAgentFactory}: plans role-specialised agents for the chosen pattern ({@link TeamPlanner}), at most
 * the smaller of the options' and the configured {@code maxAgents}, and binds each to the MCP servers its
 * capabilities need ({@link ServerCoverage}).
 * <p>
 * Binding to an installed server is naming its plugin id in {@link AgentSpec#servers()}: no connection is opened
 * here. Connections belong to the MCP bundle, which keeps one per configured server and reuses it for every agent
 * and call, so an agent bound to a running server starts warm. A capability no installed server covers is served
 * by the best catalog entry: installed through {@link McpCatalog#install} when the options allow it (a failure is
 * logged and noted in the agent's reason, never thrown; the agent runs without that server), planned as "would be
 * installed" in a dry run that allows installing, and otherwise reported in {@link AgentPlan#unmetCapabilities()}.
 * A DOWN server is bound to no agent; a capability only DOWN servers cover is unmet, the reason naming them and why.
 * Of several servers covering a capability, replicas ({@link io.mcpagent.api.plugin.PluginProperties#MCP_REPLICA_KEY})
 * take turns, one per plan; servers that are no replicas of one another are all bound.
 */
@Component(service = {DynamicAgentFactory.class, ProblemReporter.class}, configurationPid = RoleBasedAgentFactory.PID)
@Designate(ocd = AgentFactoryConfig.class)
public final class RoleBasedAgentFactory implements DynamicAgentFactory, ProblemReporter {
    static final String PID = "io.mcpagent.autonomous.agents";
    private static final Logger LOG = LoggerFactory.getLogger(RoleBasedAgentFactory.class);
    /** The capabilities whose servers work on the paths a task names. */
    private static final List<String> FILE_CAPABILITIES = List.of(Capability.FILE_READ.id(),
            Capability.FILE_WRITE.id());
    /**
     * What allows the install, on every surface that plans: the factory does not know which one asked, and a new
     * user's first run (bin/mcp-agent run) lands here.
     */
    private static final String HOW_TO_INSTALL = " (an admin allows it with --install, or \"allowInstall\": true over"
            + " HTTP, or installs it first: mcp:install %s)";

    private record Settings(RoleInstructions instructions, int maxAgents, ModelRequirements model,
                            AgentLimits limits) {
        static Settings from(AgentFactoryConfig config) {
            ConfigRanges.atLeast("maxAgents", config.maxAgents(), 1);
            ModelRequirements.Preference preference;
            try {
                preference = ModelRequirements.Preference.valueOf(config.preference().strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("preference must be COST, SPEED or QUALITY, was '"
                        + config.preference() + "'", e);
            }
            ModelRequirements model = new ModelRequirements(Set.of(), 0, preference, blankToNull(config.provider()),
                    blankToNull(config.model()), List.of());
            // AgentLimits names maxIterations, maxTokens and a negative maxCostUsd itself.
            AgentLimits limits = new AgentLimits(config.maxIterations(), config.maxTokens(),
                    costUsd(config.maxCostUsd()), seconds("maxTimeSeconds", config.maxTimeSeconds()),
                    seconds("toolTimeoutSeconds", config.toolTimeoutSeconds()));
            return new Settings(new RoleInstructions(config), config.maxAgents(), model, limits);
        }

        private static BigDecimal costUsd(String value) {
            String cost = blankToNull(value);
            try {
                return cost == null ? null : ConfigRanges.costBudgetUsd("maxCostUsd", new BigDecimal(cost.strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("maxCostUsd must be a number of US dollars or blank, was '" + value
                        + "'", e);
            }
        }

        private static Duration seconds(String name, int value) {
            return Duration.ofSeconds(ConfigRanges.atLeast(name, value, 1));
        }
    }

    /** How one capability is served: the servers bound for it (none = unmet) and a note for the agent's reason. */
    private record Binding(List<String> servers, String note) {
        boolean met() {
            return !servers.isEmpty();
        }
    }

    private final PluginManager plugins;
    private final AtomicReference<McpCatalog> catalog = new AtomicReference<>();
    private final AtomicLong spreadTurn = new AtomicLong();
    private final CapabilityIndexCache catalogIndex = new CapabilityIndexCache();
    private final GuardedConfiguration<AgentFactoryConfig, Settings> configuration =
            new GuardedConfiguration<>(PID, AgentFactoryConfig.class, Settings::from, LOG::error, LOG::info);

    @Activate
    public RoleBasedAgentFactory(@Reference PluginManager plugins, AgentFactoryConfig config) {
        this.plugins = plugins;
        configuration.update(config);
    }

    @Modified
    void modified(AgentFactoryConfig config) {
        configuration.update(config);
    }

    /** A refused configuration, while it is not repaired. */
    @Override
    public List<Problem> problems() {
        return configuration.problems();
    }

    /** Without a catalog, agents get the installed servers only and nothing can be installed. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetCatalog")
    void setCatalog(McpCatalog mcpCatalog) {
        catalog.set(mcpCatalog);
    }

    void unsetCatalog(McpCatalog mcpCatalog) {
        catalog.compareAndSet(mcpCatalog, null);
    }

    @Override
    public AgentPlan plan(Task task, TaskAnalysis analysis, StrategyRecommendation strategy,
                          AgentPlanOptions options) {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(analysis, "analysis");
        Objects.requireNonNull(strategy, "strategy");
        AgentPlanOptions planOptions = options == null ? AgentPlanOptions.DEFAULTS : options;
        Settings current = configuration.settings();
        List<String> capabilities = Capabilities.sorted(analysis.requiredCapabilities());
        List<TeamPlanner.Draft> team = TeamPlanner.limit(strategy.pattern(),
                TeamPlanner.team(strategy.pattern(), analysis.type(), capabilities),
                Math.min(planOptions.maxAgents(), current.maxAgents()));

        McpCatalog mcpCatalog = catalog.get();
        ServerCoverage coverage = ServerCoverage.of(capabilities, plugins, catalogIndex.indexOf(mcpCatalog));
        Set<String> installedForPlan = new TreeSet<>();
        Map<String, String> failedInstalls = new HashMap<>();
        Map<String, Binding> bindings = bind(coverage, planOptions, mcpCatalog, installedForPlan, failedInstalls);

        ModelRequirements model = planOptions.model() != null ? planOptions.model() : current.model();
        AgentLimits limits = planOptions.limits() != null ? planOptions.limits() : current.limits();
        List<PlannedAgent> agents = new ArrayList<>(team.size());
        Set<String> unmet = new TreeSet<>();
        for (TeamPlanner.Draft draft : team) {
            // server -> the capabilities this agent is bound to it for
            Map<String, Set<String>> servers = new TreeMap<>();
            List<String> covered = new ArrayList<>();
            List<String> uncovered = new ArrayList<>();
            StringBuilder reason = new StringBuilder(draft.reason());
            String separator = ". Servers: ";
            for (String capability : draft.capabilities()) {
                Binding binding = bindings.get(capability);
                binding.servers().forEach(server -> servers.computeIfAbsent(server, k -> new TreeSet<>())
                        .add(capability));
                if (binding.met()) {
                    covered.add(capability);
                } else {
                    uncovered.add(capability);
                    unmet.add(capability);
                }
                reason.append(separator).append(binding.note());
                separator = "; ";
            }
            List<String> readOnly = readOnlyServers(servers);
            if (!readOnly.isEmpty()) {
                StringJoiner tools = new StringJoiner("; ", ". Tools, as this agent only reads there: ", "");
                readOnly.forEach(server -> tools.add(readOnlyTools(server)));
                reason.append(tools);
            }
            String instruction = current.instructions().instruction(draft.role(), task.text(), covered, uncovered);
            AgentSpec spec = new AgentSpec(draft.name(), instruction, List.copyOf(servers.keySet()),
                    readOnly.isEmpty() ? null : new ToolFilter(List.of(), List.of(), readOnly), null, model, null,
                    limits);
            agents.add(new PlannedAgent(spec, draft.role(), Set.copyOf(draft.capabilities()), reason.toString()));
        }
        List<String> warnings = folderWarning(task, capabilities, bindings).stream().toList();
        return new AgentPlan(agents, installedForPlan, unmet, failedInstalls, warnings);
    }

    /**
     * Whether the task names paths outside the roots of every server bound to read or write its files (which then
     * refuses them), asked of the servers registered now: a catalog server still to be installed has no roots yet.
     */
    private Optional<String> folderWarning(Task task, List<String> capabilities, Map<String, Binding> bindings) {
        if (task.text().indexOf('/') < 0) {
            return Optional.empty(); // it names no path: nothing to look up
        }
        Map<String, List<URI>> rootsByServer = new TreeMap<>();
        for (String capability : FILE_CAPABILITIES) {
            Binding binding = bindings.get(capability);
            if (binding != null && capabilities.contains(capability)) {
                binding.servers().forEach(server -> rootsByServer.computeIfAbsent(server, id ->
                        plugins.service(id, McpServer.class).map(McpServer::roots).orElse(List.of())));
            }
        }
        Function<String, String> files = server -> plugins.get(server)
                .map(info -> info.properties().get(PluginProperties.MCP_CONFIGURATION))
                .filter(pid -> pid.contains("~")) // a file configures it, not the Web Console
                .map(ServerCoverage::configurationFile).orElse(null);
        return FolderCheck.warning(task.text(), rootsByServer, files, Path.of(System.getProperty("user.home")));
    }

    /**
     * The servers an agent is bound to for reading capabilities alone ({@link Capabilities#READING}): least
     * privilege, it gets only their tools they annotate read-only. A server it needs for a capability that may write
     * as well keeps all its tools. Decided from the plan alone, without listing any tools: the toolbox applies it.
     */
    private static List<String> readOnlyServers(Map<String, Set<String>> capabilitiesByServer) {
        List<String> readOnly = new ArrayList<>(0);
        capabilitiesByServer.forEach((server, capabilities) -> {
            if (Capabilities.READING.containsAll(capabilities)) {
                readOnly.add(server);
            }
        });
        return readOnly;
    }

    /**
     * What an agent that only reads on a server is offered of its tools, by the server's last listing
     * ({@link McpServer#listedTools}, which lists nothing): {@code filesystem: the 10 of its 14 tools it marks read-only
     * (readOnlyHint)}; all of them when it marks none; when its tools are not listed yet, the rule the toolbox will
     * apply.
     */
    private String readOnlyTools(String server) {
        Optional<List<ToolDescriptor>> listed = plugins.service(server, McpServer.class)
                .flatMap(McpServer::listedTools);
        if (listed.isEmpty()) {
            return server + ": the tools it marks read-only (readOnlyHint), all of them if it marks none (its tools"
                    + " are not listed yet)";
        }
        List<ToolDescriptor> tools = listed.get();
        long readOnly = tools.stream().filter(tool -> Boolean.TRUE.equals(tool.readOnlyHint())).count();
        if (readOnly == 0 && tools.stream().allMatch(tool -> tool.readOnlyHint() == null)) {
            return server + ": all its " + tools.size() + " tools, as it marks none read-only or not (readOnlyHint):"
                    + " nothing tells its reading tools apart";
        }
        return server + ": the " + readOnly + " of its " + tools.size() + " tools it marks read-only (readOnlyHint)";
    }

    /**
     * How each capability is served, in capability order; installs catalog entries when the options allow it (each
     * entry once, however many capabilities it serves) and collects the entries installed, or that a dry run would
     * install, into {@code installedForPlan}, and those whose install failed, with why, into {@code failedInstalls}.
     */
    private Map<String, Binding> bind(ServerCoverage coverage, AgentPlanOptions options, McpCatalog mcpCatalog,
                                      Set<String> installedForPlan, Map<String, String> failedInstalls) {
        Map<String, Binding> bindings = new LinkedHashMap<>();
        // Replicas of a server (the same connection settings under other names) share the agents: one per plan, in
        // turn. Servers that are no replicas of one another reach different things (two folders), so each is bound
        // and the model chooses by their tools. DOWN ones take no turn: an agent bound to one would find none of its
        // tools; DEGRADED ones only when no UP one covers the capability (ServerCoverage).
        long turn = spreadTurn.getAndIncrement();
        coverage.installed().forEach((capability, servers) -> {
            List<List<String>> groups = coverage.replicaGroups(capability);
            List<String> chosen = new ArrayList<>(groups.size());
            StringJoiner why = new StringJoiner("; ", " (", ")").setEmptyValue("");
            for (List<String> replicas : groups) {
                chosen.add(replicas.get((int) Math.floorMod(turn, replicas.size())));
                if (replicas.size() > 1) {
                    why.add("one of " + String.join(", ", replicas) + ", in turn, to spread the load");
                }
            }
            if (chosen.size() > 1) {
                why.add("each, as they are no replicas of one another");
            }
            coverage.healthNotes(capability).forEach(why::add);
            bindings.put(capability, new Binding(List.copyOf(chosen), capability + " by " + String.join(", ", chosen)
                    + why));
        });
        coverage.onlyDown().forEach((capability, down) -> bindings.put(capability, new Binding(List.of(),
                capability + " not covered: " + ServerCoverage.describe(down))));
        for (Map.Entry<String, CatalogEntry> needed : coverage.fromCatalog().entrySet()) {
            String capability = needed.getKey();
            String id = needed.getValue().id();
            if (!options.allowInstall()) {
                bindings.put(capability, new Binding(List.of(), capability + " not covered: catalog entry " + id
                        + " provides it, but installing servers is not allowed" + HOW_TO_INSTALL.formatted(id)
                        + undeclared(coverage, capability)));
            } else if (options.dryRun()) {
                installedForPlan.add(id);
                bindings.put(capability, new Binding(List.of(id), capability + " by " + id
                        + " (would be installed; dry run)"));
            } else {
                if (!installedForPlan.contains(id) && !failedInstalls.containsKey(id)) {
                    String failure = install(mcpCatalog, id);
                    if (failure == null) {
                        installedForPlan.add(id);
                    } else {
                        failedInstalls.put(id, failure);
                    }
                }
                String failure = failedInstalls.get(id);
                if (failure == null) {
                    bindings.put(capability, new Binding(List.of(id), capability + " by " + id + " (installed now)"));
                } else if (installedMeanwhile(id)) {
                    bindings.put(capability, new Binding(List.of(id), capability + " by " + id
                            + " (installed meanwhile by someone else)"));
                } else {
                    LOG.warn("installing MCP server '{}' from the catalog failed; the agents that need {} run "
                            + "without it: {}", id, capability, failure);
                    bindings.put(capability, new Binding(List.of(), capability + " not covered: installing " + id
                            + " failed: " + failure + undeclared(coverage, capability)));
                }
            }
        }
        for (String capability : coverage.unknown()) {
            bindings.put(capability, new Binding(List.of(), capability + " not covered: " + (mcpCatalog == null
                    ? "no MCP catalog is available" : "no installed server or catalog entry provides it")
                    + undeclared(coverage, capability)));
        }
        return bindings;
    }

    /** {@code " (server 'files' is connected but declares no capabilities; add ...)"}, or nothing. */
    private static String undeclared(ServerCoverage coverage, String capability) {
        String note = coverage.undeclaredNote(capability);
        return note.isEmpty() ? "" : " (" + note + ")";
    }

    /** Installs a catalog entry; null when it worked, else what failed. */
    private static String install(McpCatalog mcpCatalog, String id) {
        try {
            mcpCatalog.install(id);
            return null;
        } catch (RuntimeException e) {
            LOG.debug("installing MCP server '{}' from the catalog failed", id, e);
            return e.getMessage() == null ? e.toString() : e.getMessage();
        }
    }

    /** Whether a failed install failed because another plan (or an operator) installed the server first. */
    private boolean installedMeanwhile(String id) {
        return plugins.get(id).filter(info -> info.kind() == PluginKind.MCP_SERVER).isPresent();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
