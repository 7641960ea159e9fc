package io.mcpagent.api.autonomous;

import java.util.List;
import java.util.Objects;
import java.util.Set;

import io.mcpagent.api.task.Complexity;

/**
 * The decision for a task: the installed pattern to run (its plugin id, which for our patterns is also its name), how
 * confident the decision is ([0, 1]), why, the MCP servers the task needs (installed or from the catalog), the
 * complexity expected, and the other installed patterns ranked best first (the fallbacks).
 */
public record StrategyRecommendation(String pattern, double confidence, String reasoning, Set<String> requiredServers,
                                     Complexity estimatedComplexity, List<StrategyAlternative> alternatives) {
    public StrategyRecommendation {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(estimatedComplexity, "estimatedComplexity");
        if (!(confidence >= 0.0 && confidence <= 1.0)) {
            throw new IllegalArgumentException("confidence must be within [0, 1], was " + confidence);
        }
        reasoning = reasoning == null ? "" : reasoning;
        requiredServers = requiredServers == null ? Set.of() : Set.copyOf(requiredServers);
        alternatives = alternatives == null ? List.of() : List.copyOf(alternatives);
    }
}
