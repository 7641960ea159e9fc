package io.mcpagent.core.internal.llm;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.mcpagent.api.llm.LlmProvider;
import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.plugin.PluginInfo;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.runtime.Problem;

/** A whiteboard holding provider services in a map; registering again under an id gives a new service id. */
final class FakePlugins implements PluginManager {
    private record Entry(PluginInfo info, LlmProvider provider) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong serviceIds = new AtomicLong(100);

    FakeProvider add(FakeProvider provider) {
        return add(provider, Map.of());
    }

    FakeProvider add(FakeProvider provider, Map<String, String> properties) {
        Map<String, String> all = new TreeMap<>(properties);
        all.put("mcpagent.plugin.id", provider.id());
        all.put("mcpagent.plugin.kind", "provider");
        entries.put(provider.id(), new Entry(new PluginInfo(provider.id(), PluginKind.PROVIDER, "1.0.0", null, null,
                "test.bundle", "1.0.0", 7, serviceIds.incrementAndGet(), all), provider));
        return provider;
    }

    FakeProvider addScripted(FakeProvider provider) {
        return add(provider, Map.of(io.mcpagent.api.plugin.PluginProperties.SCRIPTED_PROVIDER, "true"));
    }

    void remove(String id) {
        entries.remove(id);
    }

    @Override
    public List<PluginInfo> list() {
        return list(PluginKind.PROVIDER);
    }

    @Override
    public List<PluginInfo> list(PluginKind kind) {
        return new TreeMap<>(entries).values().stream().map(Entry::info).filter(i -> i.kind() == kind).toList();
    }

    @Override
    public Optional<PluginInfo> get(String id) {
        return Optional.ofNullable(entries.get(id)).map(Entry::info);
    }

    @Override
    public Optional<PluginHealth> health(String id) {
        return Optional.ofNullable(entries.get(id)).map(e -> e.provider().health());
    }

    @Override
    public <S> Optional<S> service(String id, Class<S> type) {
        return Optional.ofNullable(entries.get(id)).map(Entry::provider).filter(type::isInstance).map(type::cast);
    }

    @Override
    public Map<PluginKind, Integer> countsByKind() {
        return Map.of(PluginKind.PROVIDER, entries.size());
    }

    @Override
    public List<Problem> problems() {
        return List.of();
    }
}
