package io.mcpagent.api.autonomous;

import java.util.Objects;

/** A pattern the decision considered, with its score in [0, 1] and why it ranked where it did. */
public record StrategyAlternative(String pattern, double score, String reason) {
    public StrategyAlternative {
        Objects.requireNonNull(pattern, "pattern");
        if (!(score >= 0.0 && score <= 1.0)) {
            throw new IllegalArgumentException("score must be within [0, 1], was " + score);
        }
        reason = reason == null ? "" : reason;
    }
}
