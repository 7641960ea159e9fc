package io.mcpagent.api.autonomous;

import java.util.List;
import java.util.Objects;
import java.util.Set;

import io.mcpagent.api.task.Complexity;

/**
 * The decision for a task: the installed pattern to run (its plugin id, which for our patterns is also its name), how
 * confident the decision is ([0, 1]), why, the MCP servers the task needs (installed or from the catalog), the
 * complexity expected, the other installed patterns ranked best first (the fallbacks), and (since 1.6) the chosen
 * pattern's own {@code score} in [0, 1], on the scale of the alternatives' scores, so that the choice can be ranked
 * among them: the confidence says how sure the decision is, not how well the pattern fits.
 */
public record StrategyRecommendation(String pattern, double confidence, String reasoning, Set<String> requiredServers,
                                     Complexity estimatedComplexity, List<StrategyAlternative> alternatives,
                                     double score) {
    public StrategyRecommendation {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(estimatedComplexity, "estimatedComplexity");
        if (!(confidence >= 0.0 && confidence <= 1.0)) {
            throw new IllegalArgumentException("confidence must be within [0, 1], was " + confidence);
        }
        if (!(score >= 0.0 && score <= 1.0)) {
            throw new IllegalArgumentException("score must be within [0, 1], was " + score);
        }
        reasoning = reasoning == null ? "" : reasoning;
        requiredServers = requiredServers == null ? Set.of() : Set.copyOf(requiredServers);
        alternatives = alternatives == null ? List.of() : List.copyOf(alternatives);
    }

    /**
     * A decision from an engine that does not score its choice apart from its confidence (written before 1.6): the
     * confidence stands for the score.
     */
    public StrategyRecommendation(String pattern, double confidence, String reasoning, Set<String> requiredServers,
                                  Complexity estimatedComplexity, List<StrategyAlternative> alternatives) {
        this(pattern, confidence, reasoning, requiredServers, estimatedComplexity, alternatives, confidence);
    }
}
