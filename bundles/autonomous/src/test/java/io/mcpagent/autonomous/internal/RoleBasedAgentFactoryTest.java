package io.mcpagent.autonomous.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.mcpagent.api.agent.AgentLimits;
import io.mcpagent.api.agent.AgentSpec;
import io.mcpagent.api.autonomous.AgentPlan;
import io.mcpagent.api.autonomous.AgentPlanOptions;
import io.mcpagent.api.autonomous.AgentRole;
import io.mcpagent.api.autonomous.AutonomousPlan;
import io.mcpagent.api.autonomous.PlannedAgent;
import io.mcpagent.api.autonomous.StrategyRecommendation;
import io.mcpagent.api.llm.ModelRequirements;
import io.mcpagent.api.mcp.ToolDescriptor;
import io.mcpagent.api.mcp.ToolFilter;
import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.task.Complexity;
import io.mcpagent.api.task.Task;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.task.TaskType;

class RoleBasedAgentFactoryTest {
    private static final Pattern AGENT_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
    private static final Task TASK = Task.of("Find the open issues of our repository and write a summary");

    private final FakePlugins plugins = new FakePlugins();
    private final FakeCatalog catalog = new FakeCatalog(plugins).entries(FakeCatalog.builtin());

    private RoleBasedAgentFactory factory(Map<String, Object> config) {
        RoleBasedAgentFactory factory = new RoleBasedAgentFactory(plugins,
                Configs.config(AgentFactoryConfig.class, config));
        factory.setCatalog(catalog);
        return factory;
    }

    private RoleBasedAgentFactory factory() {
        return factory(Map.of());
    }

    private static TaskAnalysis analysis(TaskType type, String... capabilities) {
        return TestAnalyzer.analysis(type, Complexity.MODERATE, 3, Set.of(capabilities), 0.8, null, "heuristic");
    }

    private static StrategyRecommendation strategy(String pattern) {
        return new StrategyRecommendation(pattern, 0.8, "", Set.of(), Complexity.MODERATE, List.of());
    }

    private static AgentPlanOptions options(int maxAgents, boolean allowInstall, boolean dryRun) {
        return new AgentPlanOptions(maxAgents, allowInstall, dryRun, null, null);
    }

    private AgentPlan plan(String pattern, TaskAnalysis analysis, AgentPlanOptions options) {
        return factory().plan(TASK, analysis, strategy(pattern), options);
    }

    private static List<String> names(AgentPlan plan) {
        return plan.agents().stream().map(agent -> agent.spec().name()).toList();
    }

    private static List<AgentRole> roles(AgentPlan plan) {
        return plan.agents().stream().map(PlannedAgent::role).toList();
    }

    private static PlannedAgent agent(AgentPlan plan, String name) {
        return plan.agents().stream().filter(a -> a.spec().name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void directPlansOneAgentWhoseRoleFitsTheTypeWithEveryCapability() {
        plugins.server("github").server("filesystem");

        AgentPlan plan = plan("direct", analysis(TaskType.CODING, "code_repository", "file_read"),
                AgentPlanOptions.DEFAULTS);

        assertEquals(List.of("specialist"), names(plan));
        PlannedAgent agent = plan.agents().get(0);
        assertEquals(AgentRole.SPECIALIST, agent.role());
        assertEquals(Set.of("code_repository", "file_read"), agent.capabilities());
        assertEquals(List.of("filesystem", "github"), agent.spec().servers());
        assertTrue(agent.reason().startsWith("the one agent of a CODING task, with every required capability"),
                agent.reason());
        assertTrue(agent.reason().contains("code_repository by github; file_read by filesystem"), agent.reason());
        assertTrue(plan("direct", analysis(TaskType.AUTOMATION), AgentPlanOptions.DEFAULTS).agents().get(0).reason()
                .startsWith("the one agent of an AUTOMATION task"), "not 'a AUTOMATION'");
        assertTrue(plan.installedServers().isEmpty());
        assertTrue(plan.unmetCapabilities().isEmpty());
    }

    @Test
    void anAgentThatOnlyReadsOnAServerGetsItsReadOnlyToolsAndOneThatWritesThereGetsThemAll() {
        plugins.server("filesystem").server("github");

        AgentPlan plan = plan("evaluator-optimizer", analysis(TaskType.CONTENT_CREATION, "code_repository",
                "file_read", "file_write"), AgentPlanOptions.DEFAULTS);

        PlannedAgent evaluator = agent(plan, "evaluator");
        assertEquals(List.of("filesystem"), evaluator.spec().servers());
        assertEquals(new ToolFilter(List.of(), List.of(), List.of("filesystem")), evaluator.spec().toolFilter());
        assertTrue(evaluator.reason().endsWith(". Tools, as this agent only reads there: filesystem: the tools it"
                + " marks read-only (readOnlyHint), all of them if it marks none (its tools are not listed yet)"),
                evaluator.reason());
        PlannedAgent creator = agent(plan, "creator");
        assertEquals(List.of("filesystem", "github"), creator.spec().servers());
        assertEquals(ToolFilter.ALL, creator.spec().toolFilter());
        assertFalse(creator.reason().contains("Tools:"), creator.reason());
    }

    @Test
    void onlyTheServersAnAgentReadsAloneAreRestricted() {
        plugins.server("filesystem").server("github").server("brave-search");

        AgentPlan plan = plan("direct", analysis(TaskType.CODING, "code_repository", "file_read", "web_search"),
                AgentPlanOptions.DEFAULTS);

        AgentSpec spec = plan.agents().get(0).spec();
        assertEquals(List.of("brave-search", "filesystem", "github"), spec.servers());
        assertEquals(List.of("brave-search", "filesystem"), spec.toolFilter().readOnlyServers());
        assertTrue(plan.agents().get(0).reason().endsWith(". Tools, as this agent only reads there: brave-search: the"
                + " tools it marks read-only (readOnlyHint), all of them if it marks none (its tools are not listed yet);"
                + " filesystem: the tools it marks read-only (readOnlyHint), all of them if it marks none (its tools are"
                + " not listed yet)"), plan.agents().get(0).reason());
    }

    @Test
    void theReasonCountsTheReadOnlyToolsOfAServerListedAlreadyOrSaysItMarksNone() {
        plugins.listed("filesystem", tool("read_text_file", true), tool("list_directory", true),
                        tool("write_file", false), tool("move_file", null))
                .listed("brave-search", tool("brave_web_search", null), tool("brave_local_search", null));

        AgentPlan plan = plan("direct", analysis(TaskType.RESEARCH, "file_read", "web_search"),
                AgentPlanOptions.DEFAULTS);

        PlannedAgent agent = plan.agents().get(0);
        assertEquals(List.of("brave-search", "filesystem"), agent.spec().toolFilter().readOnlyServers());
        assertTrue(agent.reason().endsWith(". Tools, as this agent only reads there: brave-search: all its 2 tools, as"
                + " it marks none read-only or not (readOnlyHint): nothing tells its reading tools apart; filesystem:"
                + " the 2 of its 4 tools it marks read-only (readOnlyHint)"), agent.reason());
    }

    @Test
    void aPathOutsideTheRootsOfTheFileServerIsAWarningOfThePlanAndOneInsideIsNot() {
        plugins.rooted("filesystem", URI.create("file:///srv/mcp/filesystem/data"));
        TaskAnalysis files = analysis(TaskType.CONTENT_CREATION, "file_read", "file_write");
        Task outside = Task.of("read the files in /tmp/notes and write a summary to /tmp/notes/summary.md.");

        AgentPlan plan = factory().plan(outside, files, strategy("direct"), AgentPlanOptions.DEFAULTS);

        assertEquals(List.of("the task names /tmp/notes, /tmp/notes/summary.md, outside the roots of the MCP server"
                + " filesystem (/srv/mcp/filesystem/data) the agents read and write files with: its file tools will"
                + " refuse those paths; give the server the folder as a root (\"roots\": [\"/tmp/notes\"] in"
                + " etc/io.mcpagent.mcp.server~filesystem.cfg.json)"), plan.warnings());
        assertEquals(plan.warnings(), new AutonomousPlan(outside, files, strategy("direct"), plan, List.of())
                .warnings(), "a plan that can run says it too");

        Task inside = Task.of("summarise /srv/mcp/filesystem/data/notes into /srv/mcp/filesystem/data/summary.md");
        assertEquals(List.of(), factory().plan(inside, files, strategy("direct"), AgentPlanOptions.DEFAULTS)
                .warnings());
        assertEquals(List.of(), factory().plan(outside, analysis(TaskType.CONTENT_CREATION, "web_search"),
                strategy("direct"), AgentPlanOptions.DEFAULTS).warnings(), "no file server is bound: nothing to check");
    }

    @Test
    void aFileServerWithoutRootsMayWorkAnywhereSoNoPathIsWarnedOf() {
        plugins.server("filesystem");

        AgentPlan plan = factory().plan(Task.of("read /tmp/notes/a.md and write /tmp/notes/summary.md"),
                analysis(TaskType.CONTENT_CREATION, "file_read", "file_write"), strategy("direct"),
                AgentPlanOptions.DEFAULTS);

        assertEquals(List.of("filesystem"), plan.agents().get(0).spec().servers());
        assertEquals(List.of(), plan.warnings());
    }

    private static ToolDescriptor tool(String name, Boolean readOnlyHint) {
        return new ToolDescriptor(name, null, "", null, null, readOnlyHint);
    }

    @Test
    void aServerThatIsNoCatalogEntryIsBoundByTheCapabilitiesItsConfigurationDeclares() {
        plugins.server("notes-fs", "file_read, file_write").server("other", "maps");

        AgentPlan plan = plan("direct", analysis(TaskType.CONTENT_CREATION, "file_read", "file_write"),
                AgentPlanOptions.DEFAULTS);

        assertEquals(List.of("notes-fs"), plan.agents().get(0).spec().servers());
        assertTrue(plan.unmetCapabilities().isEmpty(), plan.unmetCapabilities().toString());
        assertTrue(plan.installedServers().isEmpty());
    }

    @Test
    void replicasOfOneServerShareThePlansInTurn() {
        plugins.replica("fs-1", "file_read", "k-notes").replica("fs-2", "file_read", "k-notes");

        RoleBasedAgentFactory factory = factory();
        List<String> bound = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            bound.addAll(factory.plan(TASK, analysis(TaskType.ANALYSIS, "file_read"), strategy("direct"),
                    AgentPlanOptions.DEFAULTS).agents().get(0).spec().servers());
        }

        assertEquals(2, java.util.Collections.frequency(bound, "fs-1"), bound.toString());
        assertEquals(2, java.util.Collections.frequency(bound, "fs-2"), bound.toString());
    }

    /** fs serves /tmp/notes, fs2 /tmp/notes2: bound to fs alone, a task about notes2 had every call denied. */
    @Test
    void serversThatAreNoReplicasOfOneAnotherAreAllBound() {
        plugins.replica("fs", "file_read, file_write", "k-notes").replica("fs2", "file_read, file_write", "k-notes2");

        RoleBasedAgentFactory factory = factory();
        for (int i = 0; i < 3; i++) {
            AgentPlan plan = factory.plan(TASK, analysis(TaskType.CONTENT_CREATION, "file_read", "file_write"),
                    strategy("direct"), AgentPlanOptions.DEFAULTS);
            PlannedAgent agent = plan.agents().get(0);
            assertEquals(List.of("fs", "fs2"), agent.spec().servers(), "plan " + (i + 1));
            assertTrue(agent.reason().contains("file_read by fs, fs2 (each, as they are no replicas of one another);"
                    + " file_write by fs, fs2 (each"), agent.reason());
        }
    }

    @Test
    void eachServerIsBoundAndItsReplicasTakeTurns() {
        plugins.replica("fs-a", "file_read", "k-notes").replica("fs-b", "file_read", "k-notes")
                .replica("fs2", "file_read", "k-notes2").server("other", "file_read");

        RoleBasedAgentFactory factory = factory();
        List<String> bound = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            PlannedAgent agent = factory.plan(TASK, analysis(TaskType.ANALYSIS, "file_read"), strategy("direct"),
                    AgentPlanOptions.DEFAULTS).agents().get(0);
            List<String> servers = agent.spec().servers();
            assertEquals(3, servers.size(), servers.toString());
            assertTrue(servers.containsAll(List.of("fs2", "other")), "no replicas, so always bound: " + servers);
            assertTrue(agent.reason().contains("(one of fs-a, fs-b, in turn, to spread the load; each, as they are no"
                    + " replicas of one another)"), agent.reason());
            bound.addAll(servers);
        }
        assertEquals(2, java.util.Collections.frequency(bound, "fs-a"), bound.toString());
        assertEquals(2, java.util.Collections.frequency(bound, "fs-b"), bound.toString());
    }

    @Test
    void aDegradedServerIsBoundBesideAnUpOneThatIsNoReplicaOfItForItServesWhatNoOtherDoes() {
        plugins.replica("fs", "file_read", "k-notes").replica("fs2", "file_read", "k-notes2")
                .replica("fs-b", "file_read", "k-notes").replica("nocmd", "file_read", "k-broken")
                .health("fs2", PluginHealth.degraded("health check failed: ping timed out"))
                .health("fs-b", PluginHealth.degraded("health check failed: ping timed out"))
                .health("nocmd", PluginHealth.down("could not start '/nonexistent/bin/xyz'"));

        PlannedAgent agent = plan("direct", analysis(TaskType.ANALYSIS, "file_read"), AgentPlanOptions.DEFAULTS)
                .agents().get(0);

        // fs2 is the only way to its folder; fs-b is a replica of fs, which is up
        assertEquals(List.of("fs", "fs2"), agent.spec().servers());
        assertTrue(agent.reason().contains("used though degraded, as no replica of it is up: fs2 is degraded (health"
                + " check failed: ping timed out)"), agent.reason());
        assertTrue(agent.reason().contains("left out: fs-b is degraded (health check failed: ping timed out), nocmd"
                + " is down (could not start '/nonexistent/bin/xyz')"), agent.reason());
    }

    @Test
    void aDownServerTakesNoTurnAndTheAgentReasonSaysWhy() {
        plugins.server("fs", "file_read, file_write").server("nocmd", "file_read, file_write")
                .health("nocmd", PluginHealth.down("could not start '/nonexistent/bin/xyz'"));

        RoleBasedAgentFactory factory = factory();
        for (int i = 0; i < 3; i++) {
            AgentPlan plan = factory.plan(TASK, analysis(TaskType.CONTENT_CREATION, "file_read", "file_write"),
                    strategy("direct"), AgentPlanOptions.DEFAULTS);
            PlannedAgent agent = plan.agents().get(0);
            assertEquals(List.of("fs"), agent.spec().servers(), "plan " + (i + 1));
            assertTrue(plan.unmetCapabilities().isEmpty(), plan.unmetCapabilities().toString());
            assertTrue(agent.reason().contains("file_read by fs (left out: nocmd is down (could not start"
                    + " '/nonexistent/bin/xyz'))"), agent.reason());
        }
    }

    @Test
    void aCapabilityOnlyDownServersCoverIsUnmetNamingThemAndWhy() {
        plugins.server("nocmd", "file_read, file_write").server("other-fs", "file_read")
                .health("nocmd", PluginHealth.down("could not start '/nonexistent/bin/xyz'"))
                .health("other-fs", PluginHealth.down(""));

        // installing is allowed, yet nothing is installed: the catalog's filesystem would duplicate nocmd
        AgentPlan plan = plan("direct", analysis(TaskType.CONTENT_CREATION, "file_read", "file_write"),
                options(5, true, false));

        PlannedAgent agent = plan.agents().get(0);
        assertTrue(agent.spec().servers().isEmpty(), agent.spec().servers().toString());
        assertEquals(Set.of("file_read", "file_write"), plan.unmetCapabilities());
        assertTrue(plan.installedServers().isEmpty(), plan.installedServers().toString());
        assertTrue(agent.reason().contains("file_read not covered: nocmd is down (could not start"
                + " '/nonexistent/bin/xyz'), other-fs is down (no reason given); file_write not covered: nocmd is"
                + " down (could not start '/nonexistent/bin/xyz')"), agent.reason());
    }

    @Test
    void aDegradedServerBesideAnUpReplicaTakesNoTurnAndTheAgentReasonSaysWhy() {
        plugins.replica("fs", "file_read", "k-notes").replica("slow-fs", "file_read", "k-notes")
                .health("slow-fs", PluginHealth.degraded("health check failed: ping timed out after 10000 ms"));

        RoleBasedAgentFactory factory = factory();
        for (int i = 0; i < 3; i++) {
            PlannedAgent agent = factory.plan(TASK, analysis(TaskType.ANALYSIS, "file_read"), strategy("direct"),
                    AgentPlanOptions.DEFAULTS).agents().get(0);
            assertEquals(List.of("fs"), agent.spec().servers(), "plan " + (i + 1));
            assertTrue(agent.reason().contains("file_read by fs (left out: slow-fs is degraded (health check failed:"
                    + " ping timed out after 10000 ms))"), agent.reason());
        }
    }

    @Test
    void degradedServersServeACapabilityNoUpServerCoversAndTheAgentReasonSaysSo() {
        plugins.replica("slow-a", "file_read", "k-slow").replica("slow-b", "file_read", "k-slow")
                .server("nocmd", "file_read")
                .health("slow-a", PluginHealth.degraded("health check failed: ping timed out"))
                .health("slow-b", PluginHealth.degraded("health check failed: connection refused"))
                .health("nocmd", PluginHealth.down("could not start '/nonexistent/bin/xyz'"));

        RoleBasedAgentFactory factory = factory();
        List<String> bound = new java.util.ArrayList<>();
        for (int i = 0; i < 2; i++) {
            AgentPlan plan = factory.plan(TASK, analysis(TaskType.ANALYSIS, "file_read"), strategy("direct"),
                    options(5, true, false));
            PlannedAgent agent = plan.agents().get(0);
            bound.addAll(agent.spec().servers());
            assertTrue(plan.unmetCapabilities().isEmpty(), plan.unmetCapabilities().toString());
            assertTrue(plan.installedServers().isEmpty(), "a degraded server is no reason to install another: "
                    + plan.installedServers());
            assertTrue(agent.reason().contains("(one of slow-a, slow-b, in turn, to spread the load; no server that is"
                    + " up covers it: slow-a is degraded (health check failed: ping timed out), slow-b is degraded"
                    + " (health check failed: connection refused); left out: nocmd is down (could not start"
                    + " '/nonexistent/bin/xyz'))"), agent.reason());
        }
        assertEquals(List.of("slow-a", "slow-b"), bound.stream().sorted().toList());
    }

    @Test
    void theLeadRoleFollowsTheTaskType() {
        Map<TaskType, AgentRole> expected = Map.of(TaskType.RESEARCH, AgentRole.RESEARCHER,
                TaskType.ANALYSIS, AgentRole.ANALYST, TaskType.DATA_PROCESSING, AgentRole.ANALYST,
                TaskType.CONTENT_CREATION, AgentRole.CREATOR, TaskType.COMMUNICATION, AgentRole.CREATOR,
                TaskType.CODING, AgentRole.SPECIALIST, TaskType.AUTOMATION, AgentRole.SPECIALIST,
                TaskType.GENERAL, AgentRole.ANALYST);
        expected.forEach((type, role) -> assertEquals(List.of(role),
                roles(plan("direct", analysis(type), AgentPlanOptions.DEFAULTS)), type.name()));

        assertEquals(List.of(AgentRole.RESEARCHER), roles(plan("direct",
                analysis(TaskType.MULTI_DOMAIN, "web_search", "web_fetch", "file_write"), AgentPlanOptions.DEFAULTS)),
                "a multi-domain task is led by the role holding most of its capabilities");
    }

    @Test
    void parallelPlansOneAgentPerCapabilityGroup() {
        AgentPlan plan = plan("parallel", analysis(TaskType.MULTI_DOMAIN, "web_search", "documentation",
                "file_write", "code_repository", "cloud_infrastructure"), AgentPlanOptions.DEFAULTS);

        assertEquals(List.of("researcher", "creator", "code-specialist", "cloud-specialist"), names(plan));
        assertEquals(Set.of("web_search", "documentation"), agent(plan, "researcher").capabilities());
        assertEquals(Set.of("code_repository"), agent(plan, "code-specialist").capabilities());
    }

    @Test
    void parallelAndRouterGetAtLeastTwoAgents() {
        AgentPlan parallel = plan("parallel", analysis(TaskType.RESEARCH, "web_search"), AgentPlanOptions.DEFAULTS);
        assertEquals(List.of(AgentRole.RESEARCHER, AgentRole.ANALYST), roles(parallel));
        assertEquals(Set.of(), parallel.agents().get(1).capabilities());

        AgentPlan router = plan("router", analysis(TaskType.CODING), AgentPlanOptions.DEFAULTS);
        assertEquals(List.of("specialist", "analyst"), names(router));
    }

    @Test
    void routerPlansOneSpecialisedRoutePerGroup() {
        AgentPlan plan = plan("router", analysis(TaskType.AUTOMATION, "payments", "messaging", "database_query"),
                AgentPlanOptions.DEFAULTS);

        assertEquals(List.of("analyst", "messaging-specialist", "payments-specialist"), names(plan));
        assertTrue(plan.agents().get(2).reason().startsWith("a route for the payments capabilities (router)"));
    }

    @Test
    void orchestratorPlansOnlyTheWorkersItsPlannerGivesTasksTo() {
        plugins.server("github");

        AgentPlan plan = plan("orchestrator", analysis(TaskType.CODING, "code_repository", "web_search"),
                options(5, false, false));

        assertEquals(List.of("researcher", "code-specialist"), names(plan),
                "no coordinator: the pattern plans and synthesises with agents of its own");
        assertEquals(List.of("github"), agent(plan, "code-specialist").spec().servers());
        assertTrue(agent(plan, "code-specialist").reason().startsWith("a worker the orchestrator's planner gives the"
                + " code tasks to"), agent(plan, "code-specialist").reason());

        AgentPlan bare = plan("orchestrator", analysis(TaskType.ANALYSIS), AgentPlanOptions.DEFAULTS);
        assertEquals(List.of(AgentRole.ANALYST), roles(bare));
    }

    @Test
    void swarmHasTwoToFourMembersLedByTheRoleOfTheType() {
        AgentPlan small = plan("swarm", analysis(TaskType.CONTENT_CREATION), AgentPlanOptions.DEFAULTS);
        assertEquals(List.of(AgentRole.CREATOR, AgentRole.ANALYST), roles(small));

        AgentPlan large = plan("swarm", analysis(TaskType.CODING, "web_search", "file_write", "file_read",
                "code_repository", "payments", "maps"), AgentPlanOptions.DEFAULTS);
        assertEquals(List.of("code-specialist", "researcher", "creator", "analyst"), names(large));
        assertEquals(Set.of("file_read", "payments", "maps"), agent(large, "analyst").capabilities(),
                "the members beyond four hand their capabilities to the last one kept");
        assertTrue(agent(large, "analyst").reason().contains("also maps, payments (at most 4 swarm members)"));
    }

    @Test
    void evaluatorOptimizerPairsACreatorWithAnAnalystAsEvaluator() {
        AgentPlan plan = plan("evaluator-optimizer", analysis(TaskType.CONTENT_CREATION, "documents", "file_read"),
                AgentPlanOptions.DEFAULTS);

        assertEquals(List.of("creator", "evaluator"), names(plan));
        assertEquals(List.of(AgentRole.CREATOR, AgentRole.ANALYST), roles(plan));
        assertEquals(Set.of("documents", "file_read"), plan.agents().get(0).capabilities());
        assertEquals(Set.of("file_read"), plan.agents().get(1).capabilities());
    }

    @Test
    void anUnknownPatternGetsOneAgent() {
        AgentPlan plan = plan("mesh", analysis(TaskType.RESEARCH, "web_fetch"), AgentPlanOptions.DEFAULTS);

        assertEquals(List.of("researcher"), names(plan));
        assertTrue(plan.agents().get(0).reason().contains("no team rule for pattern 'mesh'"));
    }

    @Test
    void theAgentLimitCutsWorkersButKeepsEveryCapability() {
        TaskAnalysis analysis = analysis(TaskType.MULTI_DOMAIN, "web_search", "file_write", "code_repository",
                "cloud_infrastructure");

        AgentPlan two = plan("orchestrator", analysis, options(2, false, false));
        assertEquals(List.of("researcher", "creator"), names(two));
        assertEquals(Set.of("file_write", "code_repository", "cloud_infrastructure"),
                two.agents().get(1).capabilities());

        AgentPlan one = plan("orchestrator", analysis, options(1, false, false));
        assertEquals(List.of("researcher"), names(one));
        assertEquals(4, one.agents().get(0).capabilities().size());
        assertTrue(one.agents().get(0).reason().startsWith("the only agent: at most 1 agent leaves no room for the rest"
                + " of the orchestrator team, so it takes on the whole task; also "),
                one.agents().get(0).reason());
        String swarmOfOne = plan("swarm", analysis, options(1, false, false)).agents().get(0).reason();
        assertTrue(swarmOfOne.startsWith("the only agent: at most 1 agent leaves no room for the rest of the swarm team,"
                + " so it takes on the whole task"), swarmOfOne);
        assertFalse(swarmOfOne.contains("hands control"), swarmOfOne);

        AgentPlan configured = factory(Map.of("maxAgents", 3)).plan(TASK, analysis, strategy("parallel"),
                options(10, false, false));
        assertEquals(3, configured.agents().size(), "the configured maximum caps the options");
    }

    @Test
    void agentNamesAreValidAndUnique() {
        for (String pattern : List.of("direct", "parallel", "router", "orchestrator", "swarm", "evaluator-optimizer")) {
            for (TaskType type : TaskType.values()) {
                AgentPlan plan = plan(pattern, analysis(type, "web_search", "code_repository", "x-ray vision",
                        "teleportation"), AgentPlanOptions.DEFAULTS);
                Set<String> seen = new HashSet<>();
                for (PlannedAgent agent : plan.agents()) {
                    assertTrue(AGENT_NAME.matcher(agent.spec().name()).matches(), agent.spec().name());
                    assertTrue(seen.add(agent.spec().name()), pattern + " " + type + ": " + names(plan));
                }
            }
        }
        AgentPlan unknownCapabilities = plan("router", analysis(TaskType.GENERAL, "x-ray vision", "teleportation"),
                AgentPlanOptions.DEFAULTS);
        assertEquals(List.of("specialist", "analyst"), names(unknownCapabilities));
        assertEquals(Set.of("teleportation", "x_ray_vision"), unknownCapabilities.agents().get(0).capabilities());
    }

    @Test
    void missingServersAreInstalledWhenAllowedOncePerEntry() {
        AgentPlan plan = plan("parallel", analysis(TaskType.DATA_PROCESSING, "file_read", "file_write",
                "web_fetch"), options(5, true, false));

        assertEquals(List.of("fetch", "filesystem"), catalog.installCalls.stream().sorted().toList());
        assertEquals(Set.of("fetch", "filesystem"), plan.installedServers());
        assertTrue(plan.unmetCapabilities().isEmpty());
        assertEquals(List.of("filesystem"), agent(plan, "creator").spec().servers());
        assertEquals(List.of("filesystem"), agent(plan, "analyst").spec().servers());
        assertTrue(agent(plan, "researcher").reason().contains("web_fetch by fetch (installed now)"));
        assertTrue(plugins.get("fetch").isPresent());

        catalog.installCalls.clear();
        AgentPlan again = plan("parallel", analysis(TaskType.DATA_PROCESSING, "file_read", "web_fetch"),
                options(5, true, false));
        assertTrue(catalog.installCalls.isEmpty(), "installed servers are bound, not installed again");
        assertTrue(again.installedServers().isEmpty());
    }

    @Test
    void withoutPermissionNothingIsInstalledAndTheCapabilityIsUnmet() {
        AgentPlan plan = plan("direct", analysis(TaskType.RESEARCH, "web_search"), options(5, false, false));

        assertTrue(catalog.installCalls.isEmpty());
        assertEquals(Set.of("web_search"), plan.unmetCapabilities());
        assertTrue(plan.agents().get(0).spec().servers().isEmpty());
        // what allows it, whichever surface planned: the shell's and the command line's option, REST's field, or
        // the install itself
        assertTrue(plan.agents().get(0).reason().contains("web_search not covered: catalog entry brave-search "
                + "provides it, but installing servers is not allowed (an admin allows it with --install, or"
                + " \"allowInstall\": true over HTTP, or installs it first: mcp:install brave-search)"),
                plan.agents().get(0).reason());
    }

    /** The server the operator configured by hand for the task may be the one: the reason says how to tell us. */
    @Test
    void anUnmetCapabilityNamesTheConnectedServersThatDeclareNoneAndTheLineToAdd() {
        plugins.configured("files").configured("notes").health("notes", PluginHealth.down("process exited with 1"))
                .configured("slow").health("slow", PluginHealth.degraded("slow answers"));

        AgentPlan plan = plan("direct", analysis(TaskType.AUTOMATION, "file_read", "teleportation"),
                options(5, false, false));

        assertEquals(Set.of("file_read", "teleportation"), plan.unmetCapabilities());
        String reason = plan.agents().get(0).reason();
        assertTrue(reason.contains("file_read not covered: catalog entry filesystem provides it, but installing"
                + " servers is not allowed (an admin allows it with --install, or \"allowInstall\": true over HTTP,"
                + " or installs it first: mcp:install filesystem) (server 'files' is connected but declares no"
                + " capabilities; add"
                + " \"capabilities\": [\"file_read\"] to etc/io.mcpagent.mcp.server~files.cfg.json if it serves"
                + " file_read; server 'slow' is connected but declares no capabilities; add \"capabilities\":"
                + " [\"file_read\"] to etc/io.mcpagent.mcp.server~slow.cfg.json if it serves file_read)"), reason);
        assertTrue(reason.contains("teleportation not covered: no installed server or catalog entry provides it"
                + " (server 'files' is connected but declares no capabilities; add \"capabilities\":"
                + " [\"teleportation\"] to etc/io.mcpagent.mcp.server~files.cfg.json"), reason);
        assertFalse(reason.contains("'notes'"), "a DOWN server is not what is connected: " + reason);
    }

    @Test
    void serversThatDeclareNothingAreNotMentionedWhenEveryCapabilityIsCovered() {
        plugins.configured("files").server("fs", "file_read");

        AgentPlan plan = plan("direct", analysis(TaskType.AUTOMATION, "file_read"), options(5, false, false));

        assertTrue(plan.unmetCapabilities().isEmpty());
        assertFalse(plan.agents().get(0).reason().contains("declares no capabilities"), plan.agents().get(0).reason());
    }

    @Test
    void aFailedInstallIsRecordedNotThrown() {
        catalog.failInstalling("brave-search");

        AgentPlan plan = plan("direct", analysis(TaskType.RESEARCH, "web_search", "web_fetch"),
                options(5, true, false));

        assertEquals(Set.of("web_search"), plan.unmetCapabilities());
        assertEquals(Set.of("fetch"), plan.installedServers());
        assertEquals(java.util.Map.of("brave-search", "MCP server 'brave-search': npm install failed: E404 (test)"),
                plan.failedInstalls(), "for whoever allowed the install to audit it");
        PlannedAgent agent = plan.agents().get(0);
        assertEquals(List.of("fetch"), agent.spec().servers(), "the agent runs without the failed server");
        assertTrue(agent.reason().contains("web_search not covered: installing brave-search failed: MCP server "
                + "'brave-search': npm install failed: E404 (test)"), agent.reason());
    }

    @Test
    void aServerInstalledMeanwhileIsBound() {
        FakeCatalog racing = new FakeCatalog(plugins) {
            @Override
            public io.mcpagent.api.mcp.InstallReport install(String id) {
                plugins.server(id); // another plan won the race
                throw new io.mcpagent.api.mcp.McpException(id, "already installed");
            }
        }.entries(FakeCatalog.builtin());
        RoleBasedAgentFactory factory = factory();
        factory.setCatalog(racing);

        AgentPlan plan = factory.plan(TASK, analysis(TaskType.RESEARCH, "web_fetch"), strategy("direct"),
                options(5, true, false));

        assertEquals(List.of("fetch"), plan.agents().get(0).spec().servers());
        assertTrue(plan.unmetCapabilities().isEmpty());
        assertTrue(plan.installedServers().isEmpty(), "this plan did not install it");
    }

    @Test
    void aDryRunListsWhatWouldBeInstalledAndInstallsNothing() {
        AgentPlan plan = plan("direct", analysis(TaskType.RESEARCH, "web_search"), options(5, true, true));

        assertTrue(catalog.installCalls.isEmpty());
        assertEquals(Set.of("brave-search"), plan.installedServers());
        assertEquals(List.of("brave-search"), plan.agents().get(0).spec().servers());
        assertTrue(plan.agents().get(0).reason().contains("web_search by brave-search (would be installed; dry run)"));
        assertTrue(plugins.get("brave-search").isEmpty());

        AgentPlan notAllowed = plan("direct", analysis(TaskType.RESEARCH, "web_search"), options(5, false, true));
        assertTrue(notAllowed.installedServers().isEmpty(), "a dry run predicts the real run, which may not install");
        assertEquals(Set.of("web_search"), notAllowed.unmetCapabilities());
    }

    @Test
    void capabilitiesNoServerProvidesAreUnmet() {
        plugins.server("github");
        RoleBasedAgentFactory factory = factory();

        AgentPlan plan = factory.plan(TASK, analysis(TaskType.CODING, "teleportation", "code_repository"),
                strategy("direct"), options(5, true, false));
        assertEquals(Set.of("teleportation"), plan.unmetCapabilities());
        assertTrue(plan.agents().get(0).reason().contains(
                "teleportation not covered: no installed server or catalog entry provides it"));

        factory.unsetCatalog(catalog);
        AgentPlan withoutCatalog = factory.plan(TASK, analysis(TaskType.CODING, "code_repository"),
                strategy("direct"), options(5, true, false));
        assertEquals(Set.of("code_repository"), withoutCatalog.unmetCapabilities(),
                "without the catalog an installed server cannot be matched to a capability");
        assertTrue(withoutCatalog.agents().get(0).reason().contains("no MCP catalog is available"));
    }

    @Test
    void modelAndLimitsComeFromTheOptionsElseTheConfiguration() {
        RoleBasedAgentFactory factory = factory(Map.of("provider", "anthropic", "model", "claude-sonnet",
                "preference", "quality", "maxIterations", 4, "maxCostUsd", "0.50", "maxTimeSeconds", 30));

        AgentSpec configured = factory.plan(TASK, analysis(TaskType.GENERAL), strategy("direct"),
                AgentPlanOptions.DEFAULTS).agents().get(0).spec();
        assertEquals(new ModelRequirements(Set.of(), 0, ModelRequirements.Preference.QUALITY, "anthropic",
                "claude-sonnet", List.of()), configured.model());
        assertEquals(new AgentLimits(4, 0, new BigDecimal("0.50"), Duration.ofSeconds(30), Duration.ofSeconds(60)),
                configured.limits());

        ModelRequirements pinned = ModelRequirements.ANY;
        AgentLimits tight = AgentLimits.DEFAULTS.withMaxIterations(2);
        AgentSpec fromOptions = factory.plan(TASK, analysis(TaskType.GENERAL), strategy("direct"),
                new AgentPlanOptions(3, false, false, pinned, tight)).agents().get(0).spec();
        assertEquals(pinned, fromOptions.model());
        assertEquals(tight, fromOptions.limits());
    }

    @Test
    void instructionsComeFromTheRoleTemplates() {
        RoleBasedAgentFactory factory = factory(Map.of("researcherInstruction", "Research {task} with {capabilities}.",
                "analystInstruction", " "));

        AgentPlan plan = factory.plan(TASK, analysis(TaskType.RESEARCH, "web_search", "web_fetch"),
                strategy("parallel"), AgentPlanOptions.DEFAULTS);

        assertEquals("Research " + TASK.text() + " with none (no tool of yours serves web_fetch, web_search).",
                plan.agents().get(0).spec().instruction(), "no server covers them: the model is told so");
        String analyst = plan.agents().get(1).spec().instruction();
        assertTrue(analyst.startsWith("You are an analyst."), "a blank template falls back to the built-in one");
        assertTrue(analyst.contains("Your tools cover: none."), analyst);
        assertTrue(analyst.endsWith("The task: " + TASK.text()), analyst);
    }

    @Test
    void anInstructionNamesOnlyTheCapabilitiesTheAgentsServersCover() {
        plugins.server("notes-fs", "file_read, file_write");

        AgentPlan plan = factory().plan(TASK, analysis(TaskType.RESEARCH, "web_search", "file_read"),
                strategy("direct"), AgentPlanOptions.DEFAULTS);

        PlannedAgent agent = plan.agents().get(0);
        assertEquals(List.of("notes-fs"), agent.spec().servers());
        assertTrue(agent.spec().instruction().contains("Your tools cover: file_read (no tool of yours serves"
                + " web_search)."), "not told it can search the web: " + agent.spec().instruction());
        assertEquals(Set.of("web_search"), plan.unmetCapabilities());
    }

    @Test
    void aRefusedConfigurationNamesThePropertyAndTheFactoryPlansOnItsDefaults() {
        RoleBasedAgentFactory factory = factory(Map.of("maxAgents", 0));

        AgentPlan plan = factory.plan(TASK, analysis(TaskType.GENERAL), strategy("direct"), AgentPlanOptions.DEFAULTS);
        assertEquals(1, plan.agents().size());
        assertEquals(AgentLimits.DEFAULTS, plan.agents().get(0).spec().limits());
        assertTrue(factory.problems().get(0).message().contains("is refused: maxAgents must be at least 1, was 0; the "
                + "defaults are in force"), factory.problems().get(0).message());

        assertRefused(Map.of("preference", "cheapest"), "preference must be COST, SPEED or QUALITY, was 'cheapest'");
        assertRefused(Map.of("maxCostUsd", "ten"), "maxCostUsd must be a number of US dollars or blank, was 'ten'");
        assertRefused(Map.of("maxCostUsd", "-1"), "maxCostUsd must not be negative, was -1");
        // REST's range: below it a budget is no budget the history can tell from none; quoted without its zeros
        assertRefused(Map.of("maxCostUsd", "0.00000000009"), "maxCostUsd must be 0 (no limit) or within"
                + " [0.0000000001, 1.8e308] US dollars, was 0.00000000009");
        assertRefused(Map.of("maxCostUsd", "1e-999999999"), "maxCostUsd must be 0 (no limit) or within"
                + " [0.0000000001, 1.8e308] US dollars, was 1E-999999999");
        assertRefused(Map.of("maxCostUsd", "2e308"), "maxCostUsd must be 0 (no limit) or within"
                + " [0.0000000001, 1.8e308] US dollars, was 2E+308");
        assertRefused(Map.of("maxIterations", 0), "maxIterations must be at least 1, was 0");
        assertRefused(Map.of("maxTimeSeconds", 0), "maxTimeSeconds must be at least 1, was 0");
        assertRefused(Map.of("toolTimeoutSeconds", -5), "toolTimeoutSeconds must be at least 1, was -5");
    }

    @Test
    void aRefusedChangeKeepsThePreviousSettingsUntilAValidOneArrives() {
        RoleBasedAgentFactory factory = factory(Map.of("maxIterations", 4));

        factory.modified(Configs.config(AgentFactoryConfig.class, Map.of("maxIterations", 4, "maxTimeSeconds", -1)));

        assertEquals(4, factory.plan(TASK, analysis(TaskType.GENERAL), strategy("direct"), AgentPlanOptions.DEFAULTS)
                .agents().get(0).spec().limits().maxIterations());
        assertEquals(1, factory.problems().size());

        factory.modified(Configs.config(AgentFactoryConfig.class, Map.of("maxIterations", 5)));

        assertEquals(5, factory.plan(TASK, analysis(TaskType.GENERAL), strategy("direct"), AgentPlanOptions.DEFAULTS)
                .agents().get(0).spec().limits().maxIterations());
        assertTrue(factory.problems().isEmpty());
    }

    @Test
    void aCostBudgetBelowTheSmallestLeavesThePreviousOneInForce() {
        RoleBasedAgentFactory factory = factory(Map.of("maxCostUsd", "0.0000000001"));

        factory.modified(Configs.config(AgentFactoryConfig.class, Map.of("maxCostUsd", "1e-999999999")));

        assertEquals(new BigDecimal("0.0000000001"), factory.plan(TASK, analysis(TaskType.GENERAL),
                strategy("direct"), AgentPlanOptions.DEFAULTS).agents().get(0).spec().limits().maxCostUsd());
        assertTrue(factory.problems().get(0).message().contains("maxCostUsd must be 0 (no limit) or within"
                + " [0.0000000001, 1.8e308] US dollars, was 1E-999999999"), factory.problems().get(0).message());
    }

    private void assertRefused(Map<String, Object> config, String why) {
        String message = factory(config).problems().get(0).message();
        assertTrue(message.contains("is refused: " + why + ";"), message);
    }
}
