package io.mcpagent.api.autonomous;

import java.time.Duration;

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

    /**
     * {@link #analyze(Task)} for an execution whose time budget leaves {@code timeLeft}: an analyzer that has not
     * answered by then is interrupted and passed over, as one that outlasts its own time limit is, and the analysis
     * gives the best answer it has. Since 1.10; this default does not wait less than {@link #analyze(Task)} does.
     *
     * @throws DecisionException when no analyzer is installed or none answered in time
     */
    default TaskAnalysis analyze(Task task, Duration timeLeft) {
        return analyze(task);
    }

    AnalysisCacheStats cacheStats();
}
