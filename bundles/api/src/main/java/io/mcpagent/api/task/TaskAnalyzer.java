package io.mcpagent.api.task;

import org.osgi.annotation.versioning.ConsumerType;

import io.mcpagent.api.plugin.PluginService;

/** Analyses tasks; registered with {@code @AnalyzerPlugin}. Must be thread-safe. */
@ConsumerType
public interface TaskAnalyzer extends PluginService {

    /**
     * Service property ({@code Boolean}, default false) by which an analyzer says that {@link #analyze} answers in
     * bounded time without blocking (no I/O, no waiting, a bound on the text it reads). The analysis service asks such
     * an analyzer on the caller's thread; any other is asked on a thread of its own, waited for at most a configured
     * time and passed over after it, since one that never answered would hold the execution being planned. Handing
     * over to another thread and back costs tens of microseconds on a small machine.
     *
     * @since 1.6
     */
    String BOUNDED_PROPERTY = "mcpagent.analyzer.bounded";

    TaskAnalysis analyze(Task task);
}
