package io.mcpagent.autonomous.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import org.osgi.framework.ServiceReference;
import org.osgi.service.component.ComponentServiceObjects;

import io.mcpagent.api.mcp.CatalogEntry;
import io.mcpagent.api.mcp.InstallReport;
import io.mcpagent.api.mcp.McpCatalog;
import io.mcpagent.api.mcp.McpServer;
import io.mcpagent.api.mcp.McpServerInfo;
import io.mcpagent.api.mcp.ServerRecommendation;
import io.mcpagent.api.mcp.ToolCallResult;
import io.mcpagent.api.mcp.ToolDescriptor;
import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.plugin.PluginInfo;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.task.Complexity;
import io.mcpagent.api.task.Task;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.task.TaskAnalyzer;
import io.mcpagent.api.task.TaskType;
import io.mcpagent.api.workflow.WorkflowPattern;
import io.mcpagent.analyzer.heuristic.internal.HeuristicAnalyzerConfig;
import io.mcpagent.analyzer.heuristic.internal.HeuristicTaskAnalyzer;
import io.mcpagent.pattern.direct.internal.DirectConfig;
import io.mcpagent.pattern.direct.internal.DirectPattern;
import io.mcpagent.pattern.evaluator.internal.EvaluatorOptimizerConfig;
import io.mcpagent.pattern.evaluator.internal.EvaluatorOptimizerPattern;
import io.mcpagent.pattern.orchestrator.internal.OrchestratorConfig;
import io.mcpagent.pattern.orchestrator.internal.OrchestratorPattern;
import io.mcpagent.pattern.parallel.internal.ParallelConfig;
import io.mcpagent.pattern.parallel.internal.ParallelPattern;
import io.mcpagent.pattern.router.internal.RouterConfig;
import io.mcpagent.pattern.router.internal.RouterPattern;
import io.mcpagent.pattern.swarm.internal.SwarmConfig;
import io.mcpagent.pattern.swarm.internal.SwarmPattern;

/**
 * The platform as the autonomous services see it, without OSGi: the six patterns of bundles/patterns (their real
 * suitability functions, default configuration), the built-in MCP catalog of bundles/mcp (31 entries), some of its
 * servers installed, a trivial analyzer and the heuristic one of bundles/analyzers. Lives in the services' package because their bind methods are
 * package-private.
 */
final class BenchPlatform {
    /** Catalog ids installed as mcp-server plugins: the warm servers. */
    static final List<String> INSTALLED_SERVERS = List.of("fetch", "filesystem", "github", "memory", "brave-search");

    private BenchPlatform() {
    }

    /** A whiteboard with the six patterns and the installed servers. */
    static StaticPlugins plugins() {
        StaticPlugins plugins = new StaticPlugins();
        for (WorkflowPattern pattern : List.of(new DirectPattern(defaults(DirectConfig.class)),
                new ParallelPattern(defaults(ParallelConfig.class)), new RouterPattern(defaults(RouterConfig.class)),
                new OrchestratorPattern(defaults(OrchestratorConfig.class)),
                new SwarmPattern(defaults(SwarmConfig.class)),
                new EvaluatorOptimizerPattern(defaults(EvaluatorOptimizerConfig.class)))) {
            plugins.add(pattern.name(), PluginKind.PATTERN, pattern);
        }
        INSTALLED_SERVERS.forEach(id -> plugins.add(id, PluginKind.MCP_SERVER, new IdleServer(id)));
        return plugins;
    }

    static InstalledPatternDecisionEngine decisionEngine(PluginManager plugins, McpCatalog catalog) {
        InstalledPatternDecisionEngine engine = new InstalledPatternDecisionEngine(plugins, defaults(DecisionConfig.class));
        engine.setCatalog(catalog);
        return engine;
    }

    static RoleBasedAgentFactory agentFactory(PluginManager plugins, McpCatalog catalog) {
        RoleBasedAgentFactory factory = new RoleBasedAgentFactory(plugins, defaults(AgentFactoryConfig.class));
        factory.setCatalog(catalog);
        return factory;
    }

    /** The analysis service with one analyzer that answers at once, and the given cache capacity. */
    static RankedAnalysisService analysisService(int cacheCapacity) {
        return analysisService(cacheCapacity, new InstantAnalyzer(), "instant");
    }

    /** The analysis service with the platform's heuristic analyzer (default configuration). */
    static RankedAnalysisService heuristicAnalysisService(int cacheCapacity) {
        return analysisService(cacheCapacity, new HeuristicTaskAnalyzer(defaults(HeuristicAnalyzerConfig.class)),
                "heuristic");
    }

    private static RankedAnalysisService analysisService(int cacheCapacity, TaskAnalyzer analyzer, String id) {
        RankedAnalysisService service = new RankedAnalysisService(config(AnalysisConfig.class,
                Map.of("cacheCapacity", cacheCapacity)));
        // Bounded, as the heuristic analyzer's component says it is: asked on the caller's thread.
        service.addAnalyzer(served(analyzer), Map.of("service.id", 1L, "service.ranking", 0, "mcpagent.plugin.id", id,
                TaskAnalyzer.BOUNDED_PROPERTY, true));
        return service;
    }

    /** The analyzer as DS hands it to the analysis service: obtained when first asked. */
    private static ComponentServiceObjects<TaskAnalyzer> served(TaskAnalyzer analyzer) {
        return new ComponentServiceObjects<>() {
            @Override
            public TaskAnalyzer getService() {
                return analyzer;
            }

            @Override
            public void ungetService(TaskAnalyzer service) {
            }

            @Override
            public ServiceReference<TaskAnalyzer> getServiceReference() {
                return null;
            }
        };
    }

    /** Representative analyses: what a heuristic analyzer gives for three kinds of task. */
    static TaskAnalysis analysis(String kind) {
        return switch (kind) {
            case "simple" -> new TaskAnalysis(TaskType.CONTENT_CREATION, Complexity.SIMPLE, 1, Set.of(), 0.85,
                    "direct", "a short piece of writing", "heuristic");
            case "coding" -> new TaskAnalysis(TaskType.CODING, Complexity.COMPLEX, 5,
                    Set.of("code_repository", "file_read", "file_write"), 0.78, "orchestrator",
                    "change code across a repository", "heuristic");
            case "research" -> new TaskAnalysis(TaskType.MULTI_DOMAIN, Complexity.MODERATE, 3,
                    Set.of("web_search", "web_fetch", "database_query", "documents"), 0.7, "parallel",
                    "gather from the web and a database, then write", "heuristic");
            default -> throw new IllegalArgumentException("no analysis named " + kind);
        };
    }

    static <A> A defaults(Class<A> type) {
        return config(type, Map.of());
    }

    /** A configuration annotation instance: the annotation's defaults with some values overridden. */
    static <A> A config(Class<A> type, Map<String, Object> overrides) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> switch (method.getName()) {
                    case "annotationType" -> type;
                    case "toString" -> type.getSimpleName() + overrides;
                    case "hashCode" -> overrides.hashCode();
                    case "equals" -> proxy == args[0];
                    default -> overrides.containsKey(method.getName()) ? overrides.get(method.getName())
                            : method.getDefaultValue();
                }));
    }

    /** A whiteboard answering from an immutable snapshot, listing by kind as {@code PluginWhiteboard} does. */
    static final class StaticPlugins implements PluginManager {
        private record Entry(PluginInfo info, Object service) {
        }

        private final AtomicLong serviceIds = new AtomicLong(10);
        private volatile Map<String, Entry> byId = Map.of();
        private volatile List<PluginInfo> ordered = List.of();

        void add(String id, PluginKind kind, Object service) {
            Map<String, Entry> next = new HashMap<>(byId);
            // the platform's patterns declare that their suitability answers in bounded time, as registered
            Map<String, String> properties = kind == PluginKind.PATTERN
                    ? Map.of(WorkflowPattern.BOUNDED_PROPERTY, "true") : Map.of();
            next.put(id, new Entry(new PluginInfo(id, kind, "0.1.0", id, "", "bench", "0.1.0", 1,
                    serviceIds.incrementAndGet(), properties), service));
            byId = Map.copyOf(next);
            ordered = next.values().stream().map(Entry::info)
                    .sorted(java.util.Comparator.comparing(PluginInfo::kind).thenComparing(PluginInfo::id)).toList();
        }

        @Override
        public List<PluginInfo> list() {
            return ordered;
        }

        @Override
        public List<PluginInfo> list(PluginKind kind) {
            return ordered.stream().filter(info -> info.kind() == kind).toList();
        }

        @Override
        public Optional<PluginInfo> get(String id) {
            return Optional.ofNullable(byId.get(id)).map(Entry::info);
        }

        @Override
        public Optional<PluginHealth> health(String id) {
            return get(id).map(info -> PluginHealth.up());
        }

        @Override
        public <S> Optional<S> service(String id, Class<S> type) {
            Entry entry = byId.get(id);
            return entry != null && type.isInstance(entry.service()) ? Optional.of(type.cast(entry.service()))
                    : Optional.empty();
        }

        @Override
        public Map<PluginKind, Integer> countsByKind() {
            Map<PluginKind, Integer> counts = new EnumMap<>(PluginKind.class);
            for (PluginKind kind : PluginKind.values()) {
                counts.put(kind, list(kind).size());
            }
            return counts;
        }

        @Override
        public List<Problem> problems() {
            return List.of();
        }
    }

    /** The built-in catalog of bundles/mcp, one immutable entry list as the real catalog hands out per state. */
    static final class BuiltinCatalog implements McpCatalog {
        private static final String RESOURCE = "/io/mcpagent/mcp/internal/catalog/builtin-catalog.json";
        private final List<CatalogEntry> entries;

        BuiltinCatalog() {
            ObjectMapper json = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
            try (InputStream in = BuiltinCatalog.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(RESOURCE + " is missing: is io.mcpagent.mcp on the class path?");
                }
                entries = List.of(json.readValue(in, CatalogEntry[].class));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public List<CatalogEntry> entries() {
            return entries;
        }

        @Override
        public Optional<CatalogEntry> entry(String id) {
            return entries.stream().filter(entry -> entry.id().equals(id)).findFirst();
        }

        @Override
        public List<ServerRecommendation> recommend(String task, int max) {
            throw new UnsupportedOperationException("not used by the autonomous layer");
        }

        @Override
        public Set<String> installedEntries() {
            throw new UnsupportedOperationException("not used by the autonomous layer");
        }

        @Override
        public InstallReport install(String id) {
            throw new UnsupportedOperationException("the benchmarks never install");
        }

        @Override
        public void uninstall(String id) {
            throw new UnsupportedOperationException("the benchmarks never uninstall");
        }
    }

    /** A trivial analyzer: a fixed analysis whose step count depends on the text, so results differ per task. */
    static final class InstantAnalyzer implements TaskAnalyzer {
        @Override
        public TaskAnalysis analyze(Task task) {
            return new TaskAnalysis(TaskType.GENERAL, Complexity.MODERATE, 1 + (task.text().length() & 7),
                    Set.of("web_search"), 0.8, "direct", "instant", "instant");
        }
    }

    /** A server plugin that is only listed: binding an agent to it opens no connection. */
    private record IdleServer(String id) implements McpServer {
        @Override
        public McpServerInfo info() {
            return new McpServerInfo(id, "0.1.0", "2025-06-18", "in-process");
        }

        @Override
        public List<ToolDescriptor> listTools() {
            return List.of();
        }

        @Override
        public ToolCallResult callTool(String toolName, String argumentsJson, Duration timeout) {
            throw new UnsupportedOperationException("not called");
        }
    }
}
