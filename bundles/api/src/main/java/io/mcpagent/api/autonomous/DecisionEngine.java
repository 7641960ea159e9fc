package io.mcpagent.api.autonomous;

import org.osgi.annotation.versioning.ProviderType;

import io.mcpagent.api.task.TaskAnalysis;

/**
 * Chooses how to run a task from its analysis and what is installed at this moment: only installed patterns are
 * chosen, so a pattern bundle deployed a second ago is selectable and a removed one never is.
 */
@ProviderType
public interface DecisionEngine {

    /** @throws DecisionException when nothing can be chosen (no pattern installed), naming what is missing */
    StrategyRecommendation decide(TaskAnalysis analysis);
}
