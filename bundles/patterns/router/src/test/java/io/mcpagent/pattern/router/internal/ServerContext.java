package io.mcpagent.pattern.router.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.plugin.PluginInfo;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.pattern.testkit.TestWorkflowContext;

/** A scripted context whose plugin manager lists MCP servers (the testkit's lists patterns only). */
final class ServerContext extends TestWorkflowContext {
    private final Map<String, PluginInfo> servers = new LinkedHashMap<>();
    private final Map<String, PluginHealth> health = new LinkedHashMap<>();

    ServerContext server(String id, String name, String description, PluginHealth.Status status) {
        servers.put(id, new PluginInfo(id, PluginKind.MCP_SERVER, "1.0.0", name, description, "", "", 0, 0, Map.of()));
        health.put(id, new PluginHealth(status, "", null));
        return this;
    }

    @Override
    public PluginManager plugins() {
        return new PluginManager() {
            @Override
            public List<PluginInfo> list() {
                return List.copyOf(servers.values());
            }

            @Override
            public List<PluginInfo> list(PluginKind kind) {
                return kind == PluginKind.MCP_SERVER ? list() : List.of();
            }

            @Override
            public Optional<PluginInfo> get(String id) {
                return Optional.ofNullable(servers.get(id));
            }

            @Override
            public Optional<PluginHealth> health(String id) {
                return Optional.ofNullable(health.get(id));
            }

            @Override
            public <S> Optional<S> service(String id, Class<S> type) {
                return Optional.empty();
            }

            @Override
            public Map<PluginKind, Integer> countsByKind() {
                return Map.of(PluginKind.MCP_SERVER, servers.size());
            }

            @Override
            public List<Problem> problems() {
                return List.of();
            }
        };
    }
}
