package io.mcpagent.api.task;

import java.util.Objects;
import java.util.Set;

/**
 * The analysis of a task. {@code requiredCapabilities} use the MCP catalog's capability vocabulary
 * (e.g. {@code file_read}, {@code web_search}); {@code confidence} is in [0, 1]; {@code recommendedPattern}
 * is a pattern name (e.g. {@code orchestrator}) and may be null; {@code reasoning} is for humans.
 */
public record TaskAnalysis(TaskType type, Complexity complexity, int estimatedSteps, Set<String> requiredCapabilities,
                           double confidence, String recommendedPattern, String reasoning, String analyzerId) {
    public TaskAnalysis {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(complexity, "complexity");
        if (estimatedSteps < 0) {
            throw new IllegalArgumentException("estimatedSteps must be >= 0, was " + estimatedSteps);
        }
        if (!(confidence >= 0.0 && confidence <= 1.0)) {
            throw new IllegalArgumentException("confidence must be within [0, 1], was " + confidence);
        }
        requiredCapabilities = requiredCapabilities == null ? Set.of() : Set.copyOf(requiredCapabilities);
        reasoning = reasoning == null ? "" : reasoning;
    }
}
