package io.mcpagent.autonomous.internal;

import java.util.Comparator;
import java.util.Map;

import org.osgi.framework.Constants;
import org.osgi.service.component.ComponentServiceObjects;

import io.mcpagent.api.plugin.PluginProperties;
import io.mcpagent.api.task.TaskAnalyzer;

/**
 * A task analyzer service with what orders it: its {@code service.ranking} (default 0) and {@code service.id}, and
 * its plugin id for messages.
 */
record RankedAnalyzer(ObtainedOnce<TaskAnalyzer> analyzer, String pluginId, int ranking, long serviceId) {

    /** The order analyzers are asked in: highest ranking first, then the oldest service (lowest id), as OSGi does. */
    static final Comparator<RankedAnalyzer> ASKING_ORDER = Comparator.comparingInt(RankedAnalyzer::ranking).reversed()
            .thenComparingLong(RankedAnalyzer::serviceId);

    /** The analyzer of a DS reference, obtained when it is first asked, not when DS binds it. */
    static RankedAnalyzer of(ComponentServiceObjects<TaskAnalyzer> analyzer, Map<String, Object> properties) {
        long serviceId = properties.get(Constants.SERVICE_ID) instanceof Long id ? id : 0L;
        int ranking = properties.get(Constants.SERVICE_RANKING) instanceof Integer value ? value : 0;
        Object id = properties.get(PluginProperties.ID);
        String pluginId = id == null || String.valueOf(id).isBlank() ? "service " + serviceId : String.valueOf(id);
        return new RankedAnalyzer(new ObtainedOnce<>(analyzer::getService), pluginId, ranking, serviceId);
    }
}
