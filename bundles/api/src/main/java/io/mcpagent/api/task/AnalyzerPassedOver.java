package io.mcpagent.api.task;

import java.util.Objects;

/**
 * An analyzer the analysis service asked whose answer was not taken, and why: it threw or answered nothing, it had no
 * information (confidence 0, how an LLM-assisted analyzer answers when its model fails or is too slow; the reason
 * quotes its reasoning), or it was less sure than the thresholds or than the analysis taken. Since 1.4.
 */
public record AnalyzerPassedOver(String analyzerId, String reason) {
    public AnalyzerPassedOver {
        Objects.requireNonNull(analyzerId, "analyzerId");
        Objects.requireNonNull(reason, "reason");
    }
}
