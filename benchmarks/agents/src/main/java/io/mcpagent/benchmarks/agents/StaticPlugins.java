package io.mcpagent.benchmarks.agents;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.mcpagent.api.llm.LlmProvider;
import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.plugin.PluginInfo;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.runtime.Problem;

/**
 * A whiteboard holding a fixed set of provider services: like the core's PluginWhiteboard it answers from an
 * immutable snapshot (an ordered list and a map by id), without the OSGi service registry behind it.
 */
final class StaticPlugins implements PluginManager {
    private final List<PluginInfo> ordered;
    private final Map<String, PluginInfo> infos = new LinkedHashMap<>();
    private final Map<String, LlmProvider> services = new LinkedHashMap<>();

    StaticPlugins(Map<String, LlmProvider> providers) {
        List<PluginInfo> list = new ArrayList<>();
        long serviceId = 100;
        for (Map.Entry<String, LlmProvider> provider : providers.entrySet()) {
            String id = provider.getKey();
            PluginInfo info = new PluginInfo(id, PluginKind.PROVIDER, "0.1.0", null, null, "io.mcpagent.bench", "0.1.0",
                    7, serviceId++, Map.of("mcpagent.plugin.id", id, "mcpagent.plugin.kind", "provider"));
            list.add(info);
            infos.put(id, info);
            services.put(id, provider.getValue());
        }
        ordered = List.copyOf(list);
    }

    static StaticPlugins of(String id, LlmProvider provider) {
        return new StaticPlugins(Map.of(id, provider));
    }

    @Override
    public List<PluginInfo> list() {
        return ordered;
    }

    @Override
    public List<PluginInfo> list(PluginKind kind) {
        return ordered.stream().filter(p -> p.kind() == kind).toList();
    }

    @Override
    public Optional<PluginInfo> get(String id) {
        return Optional.ofNullable(infos.get(id));
    }

    @Override
    public Optional<PluginHealth> health(String id) {
        LlmProvider provider = services.get(id);
        return provider == null ? Optional.empty() : Optional.of(provider.health());
    }

    @Override
    public <S> Optional<S> service(String id, Class<S> type) {
        return Optional.ofNullable(services.get(id)).filter(type::isInstance).map(type::cast);
    }

    @Override
    public Map<PluginKind, Integer> countsByKind() {
        return Map.of(PluginKind.PROVIDER, ordered.size());
    }

    @Override
    public List<Problem> problems() {
        return List.of();
    }
}
