package io.mcpagent.api.task;

import org.osgi.annotation.versioning.ConsumerType;

import io.mcpagent.api.plugin.PluginService;

/** Analyses tasks; registered with {@code @AnalyzerPlugin}. Must be thread-safe. */
@ConsumerType
public interface TaskAnalyzer extends PluginService {

    TaskAnalysis analyze(Task task);
}
