package io.mcpagent.api.autonomous;

import org.osgi.annotation.versioning.ProviderType;

import io.mcpagent.api.task.Task;
import io.mcpagent.api.task.TaskAnalysis;

/**
 * Analyses tasks with the installed {@code TaskAnalyzer}s: the highest-ranked analyzer whose confidence reaches the
 * configured threshold wins, else the most confident answer. Repeated tasks come from an LRU cache.
 */
@ProviderType
public interface AnalysisService {

    /** @throws DecisionException when no analyzer is installed */
    TaskAnalysis analyze(Task task);

    AnalysisCacheStats cacheStats();
}
