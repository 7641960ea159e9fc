package io.mcpagent.autonomous.internal;

import java.net.URI;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

import io.mcpagent.api.mcp.McpServer;
import io.mcpagent.api.mcp.McpServerInfo;
import io.mcpagent.api.mcp.ToolCallResult;
import io.mcpagent.api.mcp.ToolDescriptor;
import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.plugin.PluginInfo;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.workflow.WorkflowPattern;

/** A whiteboard held in a map: plugins are added and removed by the test, listings are ordered by id. */
final class FakePlugins implements PluginManager {
    private record Registered(PluginInfo info, Object service) {
    }

    private final Map<String, Registered> plugins = new ConcurrentSkipListMap<>();
    private final Map<String, PluginHealth> healthById = new ConcurrentSkipListMap<>();
    private final AtomicLong serviceIds = new AtomicLong(100);

    /** Registers a pattern under its name as plugin id. */
    FakePlugins pattern(WorkflowPattern pattern) {
        return add(pattern.name(), PluginKind.PATTERN, pattern);
    }

    /** Registers an MCP server plugin (a catalog entry id, as install does). */
    FakePlugins server(String id) {
        return add(id, PluginKind.MCP_SERVER, new IdleServer(id, null));
    }

    /** Registers an MCP server plugin that is no catalog entry but declares what it can do. */
    FakePlugins server(String id, String declaredCapabilities) {
        plugins.put(id, new Registered(new PluginInfo(id, PluginKind.MCP_SERVER, "1.0.0", id, "", "test.bundle",
                "1.0.0", 1, serviceIds.incrementAndGet(),
                Map.of(io.mcpagent.api.plugin.PluginProperties.MCP_CAPABILITIES, declaredCapabilities)),
                new IdleServer(id, null)));
        return this;
    }

    /**
     * Registers an MCP server plugin that declares what it can do and is configured with the connection settings
     * {@code replicaKey} stands for: servers with one key are replicas of one another.
     */
    FakePlugins replica(String id, String declaredCapabilities, String replicaKey) {
        plugins.put(id, new Registered(new PluginInfo(id, PluginKind.MCP_SERVER, "1.0.0", id, "", "test.bundle",
                "1.0.0", 1, serviceIds.incrementAndGet(),
                Map.of(io.mcpagent.api.plugin.PluginProperties.MCP_CAPABILITIES, declaredCapabilities,
                        io.mcpagent.api.plugin.PluginProperties.MCP_REPLICA_KEY, replicaKey)),
                new IdleServer(id, null)));
        return this;
    }

    /** Registers an MCP server plugin configured in {@code etc/} that declares no capabilities and is no catalog entry. */
    FakePlugins configured(String id) {
        plugins.put(id, new Registered(new PluginInfo(id, PluginKind.MCP_SERVER, "1.0.0", id, "", "test.bundle",
                "1.0.0", 1, serviceIds.incrementAndGet(),
                Map.of(io.mcpagent.api.plugin.PluginProperties.MCP_CONFIGURATION, "io.mcpagent.mcp.server~" + id)),
                new IdleServer(id, null)));
        return this;
    }

    /** Registers an MCP server plugin (a catalog entry id) whose tools were listed already. */
    FakePlugins listed(String id, ToolDescriptor... tools) {
        return add(id, PluginKind.MCP_SERVER, new IdleServer(id, List.of(tools)));
    }

    /**
     * Registers an MCP server plugin (a catalog entry id) configured in {@code etc/} and given {@code roots}, the
     * folders it works in.
     */
    FakePlugins rooted(String id, URI... roots) {
        return add(id, PluginKind.MCP_SERVER, new IdleServer(id, null, List.of(roots)),
                Map.of(io.mcpagent.api.plugin.PluginProperties.MCP_CONFIGURATION, "io.mcpagent.mcp.server~" + id));
    }

    /** Registers a pattern under its name as plugin id, saying its suitability answers in bounded time. */
    FakePlugins boundedPattern(WorkflowPattern pattern) {
        return add(pattern.name(), PluginKind.PATTERN, pattern, Map.of(WorkflowPattern.BOUNDED_PROPERTY, "true"));
    }

    FakePlugins add(String id, PluginKind kind, Object service) {
        return add(id, kind, service, Map.of());
    }

    private FakePlugins add(String id, PluginKind kind, Object service, Map<String, String> properties) {
        plugins.put(id, new Registered(new PluginInfo(id, kind, "1.0.0", id, "", "test.bundle", "1.0.0", 1,
                serviceIds.incrementAndGet(), properties), service));
        return this;
    }

    /** Sets the health a plugin reports from now on; UP until set. */
    FakePlugins health(String id, PluginHealth health) {
        healthById.put(id, health);
        return this;
    }

    void remove(String id) {
        plugins.remove(id);
    }

    @Override
    public List<PluginInfo> list() {
        return plugins.values().stream().map(Registered::info).toList();
    }

    @Override
    public List<PluginInfo> list(PluginKind kind) {
        return plugins.values().stream().map(Registered::info).filter(info -> info.kind() == kind).toList();
    }

    @Override
    public Optional<PluginInfo> get(String id) {
        return Optional.ofNullable(plugins.get(id)).map(Registered::info);
    }

    @Override
    public Optional<PluginHealth> health(String id) {
        return get(id).map(info -> healthById.getOrDefault(id, PluginHealth.up()));
    }

    @Override
    public <S> Optional<S> service(String id, Class<S> type) {
        Registered registered = plugins.get(id);
        return registered != null && type.isInstance(registered.service())
                ? Optional.of(type.cast(registered.service())) : Optional.empty();
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

    /**
     * A server plugin that is only listed: the autonomous layer never calls it, nor lists its tools; {@code listed}
     * are the tools of its last listing, null when none was made.
     */
    private record IdleServer(String id, List<ToolDescriptor> listed, List<URI> roots) implements McpServer {
        IdleServer(String id, List<ToolDescriptor> listed) {
            this(id, listed, List.of());
        }

        @Override
        public McpServerInfo info() {
            return new McpServerInfo(id, "1.0.0", "2025-06-18", "in-process");
        }

        @Override
        public List<ToolDescriptor> listTools() {
            throw new UnsupportedOperationException("a plan lists no tools");
        }

        @Override
        public Optional<List<ToolDescriptor>> listedTools() {
            return Optional.ofNullable(listed);
        }

        @Override
        public ToolCallResult callTool(String toolName, String argumentsJson, java.time.Duration timeout) {
            throw new UnsupportedOperationException("not called by the autonomous layer");
        }
    }
}
