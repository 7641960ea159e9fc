package io.mcpagent.autonomous.internal;

import java.util.Comparator;
import java.util.Map;

import org.osgi.framework.Constants;
import org.osgi.service.component.ComponentServiceObjects;

import io.mcpagent.api.plugin.PluginProperties;
import io.mcpagent.api.task.TaskAnalyzer;

/**
 * A task analyzer service with what orders it: its {@code service.ranking} (default 0) and {@code service.id}, its
 * plugin id for messages, whether it says it answers in bounded time ({@link TaskAnalyzer#BOUNDED_PROPERTY}), and the
 * answers being waited for from it.
 */
record RankedAnalyzer(ObtainedOnce<TaskAnalyzer> analyzer, String pluginId, int ranking, long serviceId,
                      boolean bounded, PendingAnswers pending) {

    /** The order analyzers are asked in: highest ranking first, then the oldest service (lowest id), as OSGi does. */
    static final Comparator<RankedAnalyzer> ASKING_ORDER = Comparator.comparingInt(RankedAnalyzer::ranking).reversed()
            .thenComparingLong(RankedAnalyzer::serviceId);

    /** The analyzer of a DS reference, obtained when it is first asked, not when DS binds it. */
    static RankedAnalyzer of(ComponentServiceObjects<TaskAnalyzer> analyzer, Map<String, Object> properties) {
        long serviceId = properties.get(Constants.SERVICE_ID) instanceof Long id ? id : 0L;
        int ranking = properties.get(Constants.SERVICE_RANKING) instanceof Integer value ? value : 0;
        Object id = properties.get(PluginProperties.ID);
        String pluginId = id == null || String.valueOf(id).isBlank() ? "service " + serviceId : String.valueOf(id);
        boolean bounded = Boolean.TRUE.equals(properties.get(TaskAnalyzer.BOUNDED_PROPERTY))
                || "true".equals(properties.get(TaskAnalyzer.BOUNDED_PROPERTY));
        return new RankedAnalyzer(new ObtainedOnce<>(analyzer::getService), pluginId, ranking, serviceId, bounded,
                new PendingAnswers());
    }

    /** This one, its service re-ranked, keeping the answers waited for from {@code before}, the same service. */
    RankedAnalyzer waitedLike(RankedAnalyzer before) {
        return new RankedAnalyzer(analyzer, pluginId, ranking, serviceId, bounded, before.pending());
    }
}
