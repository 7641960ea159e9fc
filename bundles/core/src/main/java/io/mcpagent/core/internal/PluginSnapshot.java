package io.mcpagent.core.internal;

import java.time.Instant;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.ServiceReference;

import io.mcpagent.api.plugin.PluginInfo;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.runtime.Problem;

/**
 * One consistent view of the whiteboard: the plugins taken into use, by id, and the problems seen. Immutable;
 * the whiteboard replaces it as a whole.
 */
record PluginSnapshot(Map<String, Entry> byId, List<PluginInfo> ordered, Map<PluginKind, Integer> counts,
                      List<Problem> problems, List<TakenId> takenIds) {

    static final Comparator<PluginInfo> ORDER =
            Comparator.comparing(PluginInfo::kind).thenComparing(PluginInfo::id);

    static final PluginSnapshot EMPTY = of(Map.of(), List.of(), List.of());

    /** A plugin taken into use and the service reference it is registered under. */
    record Entry(PluginInfo info, ServiceReference<?> reference) {
    }

    /**
     * A plugin of a configuration ({@code refused}, its PID {@code refusedPid}) not used since another plugin holds its
     * id ({@code kept}, of configuration {@code keptPid} when one made it), seen at {@code since}. {@code kept} is null
     * while the configuration that keeps the id registers its plugin anew after a change: {@code keptPid} is not.
     */
    record TakenId(String id, Entry kept, String keptPid, Entry refused, String refusedPid, Instant since) {
    }

    static PluginSnapshot of(Map<String, Entry> byId, List<Problem> problems, List<TakenId> takenIds) {
        List<PluginInfo> ordered = byId.values().stream().map(Entry::info).sorted(ORDER).toList();
        Map<PluginKind, Integer> counts = new EnumMap<>(PluginKind.class);
        for (PluginKind kind : PluginKind.values()) {
            counts.put(kind, 0);
        }
        ordered.forEach(info -> counts.merge(info.kind(), 1, Integer::sum));
        return new PluginSnapshot(Map.copyOf(new LinkedHashMap<>(byId)), ordered, Map.copyOf(counts),
                List.copyOf(problems), List.copyOf(takenIds));
    }
}
